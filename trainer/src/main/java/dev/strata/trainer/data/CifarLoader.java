package dev.strata.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the CIFAR-10 binary format ({@code cifar-10-batches-bin}). Stateless and thread-safe.
 *
 * <p><b>Format.</b> A file is a sequence of 3073-byte records: one label byte (0-9), then 3 x 32 x 32
 * pixel bytes, the red channel row by row, then green, then blue: already the NCHW order of a
 * {@code 3 x 32 x 32} image, so a row feeds a network spec with {@code "image": {"channels": 3,
 * "height": 32, "width": 32}} as it is. Pixels are divided by 255.
 *
 * <p><b>Directories.</b> {@link #loadDirectory(Path, String)} reads part {@code train} as
 * {@code data_batch_1.bin} ... {@code data_batch_5.bin} (those present, at least the first) and part
 * {@code test} as {@code test_batch.bin}; class names come from {@code batches.meta.txt} when it is
 * there (one per line), else the numbers 0-9.
 */
public final class CifarLoader {

  public static final int CHANNELS = 3;
  public static final int SIDE = 32;
  public static final int PIXELS = CHANNELS * SIDE * SIDE;
  public static final int RECORD = 1 + PIXELS;
  public static final int CLASSES = 10;

  private CifarLoader() {}

  /** Loads part {@code train} or {@code test} of a CIFAR-10 binary directory. */
  public static Dataset loadDirectory(Path dir, String part) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": no such directory; give the cifar-10-batches-bin directory");
    }
    List<Path> files = new ArrayList<>();
    if (part.equals("test")) {
      files.add(dir.resolve("test_batch.bin"));
    } else if (part.equals("train")) {
      for (int i = 1; i <= 5; i++) {
        Path f = dir.resolve("data_batch_" + i + ".bin");
        if (i == 1 || Files.isRegularFile(f)) {
          files.add(f);
        }
      }
    } else {
      throw new DataFormatException("cifar:" + dir + "#" + part + ": unknown part '" + part + "'; use #train or #test");
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new DataFormatException(f + ": missing; a CIFAR-10 binary directory holds data_batch_1.bin .. "
            + "data_batch_5.bin and test_batch.bin");
      }
    }
    List<byte[]> contents = new ArrayList<>();
    long rows = 0;
    for (Path f : files) {
      byte[] b = Io.readAll(Io.open(f, "CIFAR-10"), f.toString());
      if (b.length == 0 || b.length % RECORD != 0) {
        throw new DataFormatException(f + ": " + b.length + " bytes is not a whole number of " + RECORD
            + "-byte records (1 label byte + 3x32x32 pixels); the file is truncated or not CIFAR-10 binary");
      }
      contents.add(b);
      rows += b.length / RECORD;
    }
    if (rows * PIXELS > Integer.MAX_VALUE - 16) {
      throw new DataFormatException(dir + ": " + rows + " images exceed one Java array");
    }
    int n = (int) rows;
    float[] x = new float[n * PIXELS];
    int[] y = new int[n];
    int r = 0;
    for (int fi = 0; fi < files.size(); fi++) {
      byte[] b = contents.get(fi);
      for (int rec = 0; rec < b.length / RECORD; rec++, r++) {
        int o = rec * RECORD;
        int label = b[o] & 0xff;
        if (label >= CLASSES) {
          throw new DataFormatException(files.get(fi) + ": record " + rec + " (byte " + o + ") has label " + label
              + "; CIFAR-10 labels are 0-9 (a CIFAR-100 file has two label bytes per record)");
        }
        y[r] = label;
        for (int i = 0; i < PIXELS; i++) {
          x[r * PIXELS + i] = (b[o + 1 + i] & 0xff) / 255f;
        }
      }
    }
    List<String> features = new ArrayList<>(PIXELS);
    for (String c : new String[] {"r", "g", "b"}) {
      for (int i = 0; i < SIDE; i++) {
        for (int j = 0; j < SIDE; j++) {
          features.add(c + "_" + i + "_" + j);
        }
      }
    }
    return new Dataset("cifar10-" + part, x, n, PIXELS, y, null, 0, features, classNames(dir));
  }

  /** Checks that part {@code part} ({@code train} or {@code test}) of {@code dir} is there, without reading it. */
  static void checkDirectory(Path dir, String part) {
    Path f = dir.resolve(part.equals("test") ? "test_batch.bin" : "data_batch_1.bin");
    if (!Files.isRegularFile(f)) {
      throw new DataFormatException(f + ": missing; a CIFAR-10 binary directory holds data_batch_1.bin .. "
          + "data_batch_5.bin and test_batch.bin");
    }
  }

  private static List<String> classNames(Path dir) {
    Path meta = dir.resolve("batches.meta.txt");
    if (Files.isRegularFile(meta)) {
      try {
        List<String> names = Files.readAllLines(meta).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.size() == CLASSES) {
          return names;
        }
      } catch (java.io.IOException e) {
        // fall back to the numbers
      }
    }
    return Dataset.names("", CLASSES);
  }
}
