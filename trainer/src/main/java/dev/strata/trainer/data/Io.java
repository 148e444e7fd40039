package dev.strata.trainer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File helpers shared by the loaders: gzip detection and clear messages for missing files. */
final class Io {

  private Io() {}

  /** Opens {@code path}, transparently gunzipping it when it starts with the gzip magic bytes. */
  static InputStream open(Path path, String what) {
    if (Files.isDirectory(path)) {
      throw new DataFormatException(path + ": is a directory, expected a " + what + " file; give the file's path");
    }
    try {
      return maybeGunzip(Files.newInputStream(path));
    } catch (NoSuchFileException e) {
      throw missing(path, what);
    } catch (AccessDeniedException e) {
      throw new DataFormatException(path + ": permission denied; make the " + what + " file readable", e);
    } catch (IOException e) {
      throw new DataFormatException(path + ": cannot read " + what + " file (" + e.getMessage() + ")", e);
    }
  }

  /** Wraps {@code in} in a {@link GZIPInputStream} when it starts with bytes 1f 8b. */
  static InputStream maybeGunzip(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
  }

  static DataFormatException missing(Path path, String what) {
    Path abs = path.toAbsolutePath().normalize();
    return new DataFormatException(path + ": " + what + " file not found" + (abs.toString().equals(path.toString()) ? "" : " (looked at " + abs + ")")
        + "; check the path");
  }

  /** Reads all bytes, converting I/O failures (e.g. a corrupt gzip stream) to a clear message. */
  static byte[] readAll(InputStream in, String source) {
    try (in) {
      return in.readAllBytes();
    } catch (java.util.zip.ZipException e) {
      throw new DataFormatException(source + ": corrupt gzip data (" + e.getMessage() + "); re-download or re-compress the file", e);
    } catch (java.io.EOFException e) {
      throw new DataFormatException(source + ": gzip data ends too early; the file is truncated, re-download it", e);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read", e);
    }
  }

  /** File name without {@code .gz} and the given extension, for dataset names. */
  static String baseName(Path path, String extension) {
    String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.toLowerCase(java.util.Locale.ROOT).endsWith(extension)) {
      name = name.substring(0, name.length() - extension.length());
    }
    return name;
  }
}
