package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLoaderTest {

  @TempDir Path dir;

  /** IDX bytes for unsigned-byte data of the given dimensions. */
  static byte[] idx(int[] dims, byte[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
    b.putInt(0x00000800 | dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(values);
    return b.array();
  }

  static void write(Path p, byte[] bytes, boolean gzip) throws IOException {
    if (!gzip) {
      Files.write(p, bytes);
      return;
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write(bytes);
    }
  }

  /** 5 images of 3x2 pixels with values 0, 51, 102, ..., labels 0..4 shuffled. */
  private static final byte[] PIXELS = new byte[5 * 6];
  private static final byte[] LABELS = {3, 0, 4, 1, 2};

  static {
    for (int i = 0; i < PIXELS.length; i++) {
      PIXELS[i] = (byte) (i * 51 % 256);
    }
  }

  private void mnistDir(Path d, String part, boolean gzip) throws IOException {
    Files.createDirectories(d);
    String gz = gzip ? ".gz" : "";
    write(d.resolve(part + "-images-idx3-ubyte" + gz), idx(new int[] {5, 3, 2}, PIXELS), gzip);
    write(d.resolve(part + "-labels-idx1-ubyte" + gz), idx(new int[] {5}, LABELS), gzip);
  }

  @Test
  void rawAndGzippedRoundTripScaledToUnitInterval() throws IOException {
    mnistDir(dir.resolve("raw"), "train", false);
    mnistDir(dir.resolve("gz"), "train", true);
    Dataset raw = IdxLoader.loadDirectory(dir.resolve("raw"), "train");
    Dataset gz = IdxLoader.loadDirectory(dir.resolve("gz"), "train");
    assertEquals(raw.hash(), gz.hash());
    assertEquals("raw/train", raw.name());
    assertEquals(5, raw.rows());
    assertEquals(6, raw.features());
    assertEquals(5, raw.classes());
    assertArrayEquals(new int[] {3, 0, 4, 1, 2}, raw.labels());
    for (int i = 0; i < PIXELS.length; i++) {
      assertEquals((PIXELS[i] & 0xff) / 255f, raw.x()[i], 0f);
    }
    assertEquals(1f, raw.x()[5], 0f, "byte 255 becomes exactly 1");
    assertEquals("pixel_2_1", raw.featureNames().get(5));
  }

  @Test
  void directoryPartsAndRegistrySyntax() throws IOException {
    Path d = dir.resolve("mnist");
    mnistDir(d, "train", true);
    Files.createDirectories(d);
    write(d.resolve("t10k-images.idx3-ubyte"), idx(new int[] {2, 3, 2}, Arrays.copyOf(PIXELS, 12)), false);
    write(d.resolve("t10k-labels.idx1-ubyte"), idx(new int[] {2}, new byte[] {1, 1}), false);
    assertEquals(5, Datasets.load("idx:" + d).rows());
    Dataset test = Datasets.load("idx:" + d + "#t10k");
    assertEquals(2, test.rows());
    assertEquals("mnist/t10k", test.name());
    String m = assertThrows(DataFormatException.class, () -> IdxLoader.loadDirectory(dir.resolve("raw"), "train")).getMessage();
    assertTrue(m.contains("directory not found"), m);
    Path empty = Files.createDirectories(dir.resolve("empty"));
    m = assertThrows(DataFormatException.class, () -> IdxLoader.loadDirectory(empty, "t10k")).getMessage();
    assertTrue(m.contains("no t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz file"), m);
  }

  @Test
  void badMagicIsReported() throws IOException {
    Path p = dir.resolve("train-images-idx3-ubyte");
    write(p, "P5\n28 28\n255\n".getBytes(), false);
    String m = assertThrows(DataFormatException.class, () -> IdxLoader.read(p)).getMessage();
    assertTrue(m.startsWith(p + ": bad magic number 0x50350A32, expected 0x00000803 (images) or 0x00000801 (labels)"), m);
  }

  @Test
  void sizesAreValidated() throws IOException {
    byte[] full = idx(new int[] {5, 3, 2}, PIXELS);
    Path truncated = dir.resolve("t.idx");
    write(truncated, Arrays.copyOf(full, full.length - 7), true);
    String m = assertThrows(DataFormatException.class, () -> IdxLoader.read(truncated)).getMessage();
    assertEquals(truncated + ": header declares 5 x 3 x 2 = 30 values (30 bytes) but 23 bytes follow; the file is truncated,"
        + " re-download it", m);

    Path images = dir.resolve("i");
    Path labels = dir.resolve("l");
    write(images, full, false);
    write(labels, idx(new int[] {4}, new byte[4]), false);
    m = assertThrows(DataFormatException.class, () -> IdxLoader.load(images, labels, "x")).getMessage();
    assertEquals(images + " has 5 images but " + labels + " has 4 labels; use the matching pair of files", m);
    m = assertThrows(DataFormatException.class, () -> IdxLoader.load(labels, images, "x")).getMessage();
    assertTrue(m.contains("did you swap the images and labels files?"), m);
  }

  @Test
  void otherTypesAreReadUnscaled() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 * 4);
    b.putInt(0x00000D02).putInt(2).putInt(2).putFloat(1.5f).putFloat(-2f).putFloat(0f).putFloat(300f);
    out.writeBytes(b.array());
    IdxLoader.IdxArray a = IdxLoader.parse(out.toByteArray(), "f.idx");
    assertEquals(0x0D, a.type());
    assertArrayEquals(new int[] {2, 2}, a.dimensions());
    assertArrayEquals(new float[] {1.5f, -2f, 0f, 300f}, a.values());
  }
}
