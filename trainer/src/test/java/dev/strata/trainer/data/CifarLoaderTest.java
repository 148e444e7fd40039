package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 binary files that the test writes itself. */
class CifarLoaderTest {

  /** {@code n} records; record r has label r % 10 and pixel i = (r + i) % 256. */
  static byte[] records(int n) {
    byte[] b = new byte[n * CifarLoader.RECORD];
    for (int r = 0; r < n; r++) {
      b[r * CifarLoader.RECORD] = (byte) (r % 10);
      for (int i = 0; i < CifarLoader.PIXELS; i++) {
        b[r * CifarLoader.RECORD + 1 + i] = (byte) ((r + i) % 256);
      }
    }
    return b;
  }

  @Test
  void readsTrainingBatchesAndTheTestBatch(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("data_batch_1.bin"), records(3));
    Files.write(dir.resolve("data_batch_2.bin"), records(2));
    Files.write(dir.resolve("test_batch.bin"), records(4));
    Files.write(dir.resolve("batches.meta.txt"), List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
        "frog", "horse", "ship", "truck", ""));
    Dataset train = Datasets.load("cifar:" + dir, DataOptions.defaults());
    assertEquals(5, train.rows());
    assertEquals(3 * 32 * 32, train.features());
    assertEquals("airplane", train.classNames().getFirst());
    assertEquals(10, train.classes());
    assertEquals(2, train.label(2));
    assertEquals(1, train.label(4)); // second file, second record
    assertEquals(2 / 255f, train.x()[2 * 3072], 0f); // record 2, red (0, 0): (2 + 0) % 256
    assertEquals(((2 + 1024) % 256) / 255f, train.x()[2 * 3072 + 1024], 0f); // green plane follows red
    assertEquals("g_0_0", train.featureNames().get(1024));
    Dataset test = Datasets.load("cifar:" + dir + "#test", DataOptions.defaults());
    assertEquals(4, test.rows());
    assertArrayEquals(new int[] {0, 1, 2, 3}, test.labels());
  }

  @Test
  void badFilesGetOneLocatedLine(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(records(2), 2 * 3073 - 5));
    String m = assertThrows(DataFormatException.class, () -> CifarLoader.loadDirectory(dir, "train")).getMessage();
    assertTrue(m.contains("data_batch_1.bin: 6141 bytes is not a whole number of 3073-byte records"), m);
    byte[] bad = records(3);
    bad[2 * 3073] = 42;
    Files.write(dir.resolve("data_batch_1.bin"), bad);
    m = assertThrows(DataFormatException.class, () -> CifarLoader.loadDirectory(dir, "train")).getMessage();
    assertTrue(m.contains("record 2 (byte 6146) has label 42"), m);
    m = assertThrows(DataFormatException.class, () -> CifarLoader.loadDirectory(dir, "test")).getMessage();
    assertTrue(m.contains("test_batch.bin: missing"), m);
    m = assertThrows(DataFormatException.class, () -> CifarLoader.loadDirectory(dir, "valid")).getMessage();
    assertTrue(m.contains("unknown part 'valid'"), m);
    assertTrue(!m.contains("\n"));
  }
}
