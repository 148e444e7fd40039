package dev.strata.experiments.cluster;

import dev.strata.trainer.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A worker's dataset cache: {@code DIR/HASH.bin} in {@link DatasetCodec} form, keyed by {@link
 * Dataset#hash()}, so a dataset crosses the network once per machine. Written through a temporary
 * file and an atomic move, and checked against its hash when read (a corrupt entry is deleted and
 * fetched again). Thread-safe: concurrent writers of one hash write the same bytes.
 */
public final class DatasetCache {

  private final Path dir;

  public DatasetCache(Path dir) {
    this.dir = dir;
  }

  /** {@code ~/.strata/cache/datasets}. */
  public static DatasetCache defaultCache() {
    return new DatasetCache(Path.of(System.getProperty("user.home"), ".strata", "cache", "datasets"));
  }

  public Path directory() {
    return dir;
  }

  Path file(String hash) {
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a dataset hash: " + hash);
    }
    return dir.resolve(hash + ".bin");
  }

  /** The cached dataset, if present and intact. */
  public Optional<Dataset> get(String hash) {
    Path f = file(hash);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      Dataset d = DatasetCodec.decode(Files.readAllBytes(f));
      if (d.hash().equals(hash)) {
        return Optional.of(d);
      }
    } catch (IOException | IllegalArgumentException e) {
      // fall through: corrupt
    }
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // fetched again anyway
    }
    return Optional.empty();
  }

  /** Stores encoded bytes under their hash. */
  public void put(String hash, byte[] encoded) {
    Path f = file(hash);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, hash, ".part");
      Files.write(tmp, encoded);
      try {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the dataset cache " + f + ": " + e.getMessage(), e);
    }
  }
}
