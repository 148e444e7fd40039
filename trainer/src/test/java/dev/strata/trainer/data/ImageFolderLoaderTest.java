package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder-of-images loader on tiny PNG and JPEG files the test writes itself. */
class ImageFolderLoaderTest {

  @TempDir Path dir;

  /** A w x h RGB image whose pixel (i, j) is (red, green + i, blue + j). */
  private static void png(Path file, int w, int h, int red, int green, int blue) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        img.setRGB(j, i, (red << 16) | ((green + i) << 8) | (blue + j));
      }
    }
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(img, file.toString().endsWith(".png") ? "png" : "jpg", file.toFile()));
  }

  private static void grey(Path file, int w, int h, int value) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(0, 0, 0, value);
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  @Test
  void oneSubfolderPerClassRgbPlanesInNchwOrder() throws Exception {
    png(dir.resolve("pets/dog/1.png"), 3, 2, 200, 10, 20);
    png(dir.resolve("pets/cat/a.png"), 3, 2, 100, 10, 20);
    png(dir.resolve("pets/cat/b.PNG"), 3, 2, 50, 10, 20);
    Files.writeString(dir.resolve("pets/cat/notes.txt"), "ignored");
    Dataset d = Datasets.load("images:" + dir.resolve("pets"));
    assertEquals(List.of("cat", "dog"), d.classNames());
    assertEquals(3, d.rows());
    assertEquals(3 * 2 * 3, d.features());
    assertArrayEquals(new int[] {0, 0, 1}, d.labels());
    assertEquals("r_0_0", d.featureNames().getFirst());
    assertEquals("b_1_2", d.featureNames().getLast());
    float[] row = d.row(0); // cat/a.png: red plane all 100, green 10 + i, blue 20 + j
    assertEquals(100 / 255f, row[0]);
    assertEquals(11 / 255f, row[6 + 3]); // green, i = 1, j = 0
    assertEquals(22 / 255f, row[12 + 2]); // blue, i = 0, j = 2
    InputSchema schema = InputSchema.of(d, List.of());
    assertArrayEquals(new int[] {3, 2, 3}, schema.imageSize());
  }

  @Test
  void greyFilesGiveOneChannelAndAStatedSizeResizes() throws Exception {
    grey(dir.resolve("g/a/1.png"), 4, 4, 255);
    grey(dir.resolve("g/b/1.png"), 4, 4, 0);
    Dataset d = Datasets.load("images:" + dir.resolve("g"));
    assertEquals(16, d.features());
    assertEquals("pixel_3_3", d.featureNames().getLast());
    assertEquals(1f, d.x()[0], 1e-6);
    Dataset small = ImageFolderLoader.load(dir.resolve("g"), DataOptions.defaults().withImage(2, 2, 3));
    assertEquals(12, small.features());
  }

  @Test
  void badFolderContentsGetOneLocatedLine() throws Exception {
    png(dir.resolve("mixed/a/1.png"), 4, 4, 1, 2, 3);
    png(dir.resolve("mixed/b/2.png"), 5, 4, 1, 2, 3);
    String mixed = assertThrows(DataFormatException.class, () -> Datasets.load("images:" + dir.resolve("mixed"))).getMessage();
    assertTrue(mixed.startsWith(dir.resolve("mixed/b/2.png") + ": 5x4 (width x height) image, but "), mixed);
    assertTrue(mixed.contains("mixed image sizes") && mixed.contains("--image-size 4x4"), mixed);
    assertEquals(2, ImageFolderLoader.load(dir.resolve("mixed"), DataOptions.defaults().withImage(4, 4, 0)).rows());

    png(dir.resolve("empty/a/1.png"), 2, 2, 1, 2, 3);
    Files.createDirectories(dir.resolve("empty/b"));
    String empty = assertThrows(DataFormatException.class, () -> Datasets.load("images:" + dir.resolve("empty"))).getMessage();
    assertTrue(empty.startsWith(dir.resolve("empty/b") + ": empty class folder"), empty);

    png(dir.resolve("broken/a/1.png"), 2, 2, 1, 2, 3);
    Files.createDirectories(dir.resolve("broken/b"));
    Files.write(dir.resolve("broken/b/x.jpg"), new byte[] {1, 2, 3, 4});
    String broken = assertThrows(DataFormatException.class, () -> Datasets.load("images:" + dir.resolve("broken"))).getMessage();
    assertTrue(broken.startsWith(dir.resolve("broken/b/x.jpg") + ": not a"), broken);

    Files.createDirectories(dir.resolve("flat"));
    png(dir.resolve("flat/1.png"), 2, 2, 1, 2, 3);
    String flat = assertThrows(DataFormatException.class, () -> Datasets.load("images:" + dir.resolve("flat"))).getMessage();
    assertTrue(flat.contains("no class folders"), flat);
    assertTrue(!flat.contains("\n"));
  }

  @Test
  void perChannelStandardizationUsesTrainingPixelsOfEachChannel() throws Exception {
    png(dir.resolve("c/a/1.png"), 2, 2, 100, 0, 0);
    png(dir.resolve("c/a/2.png"), 2, 2, 200, 0, 0);
    png(dir.resolve("c/b/1.png"), 2, 2, 150, 40, 0);
    Dataset d = Datasets.load("images:" + dir.resolve("c"));
    Preprocessor p = Preprocessor.fit(List.of("standardize:channels"), d);
    Dataset out = p.apply(d);
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      double sq = 0;
      int n = 0;
      for (int r = 0; r < d.rows(); r++) {
        for (int k = 0; k < 4; k++) {
          double v = out.x()[r * 12 + c * 4 + k];
          sum += v;
          sq += v * v;
          n++;
        }
      }
      assertEquals(0, sum / n, 1e-5, "channel " + c + " mean");
      assertEquals(1, sq / n, 1e-4, "channel " + c + " variance");
    }
    // one scale per channel: red pixels of one image stay equal to each other
    assertEquals(out.x()[0], out.x()[3]);
    assertEquals(d.featureNames(), out.featureNames());
    DataFormatException flat = assertThrows(DataFormatException.class,
        () -> Preprocessor.fit(List.of("standardize:channels"), Generators.moons(20, 0.1, 1)));
    assertTrue(flat.getMessage().contains("needs image features named like pixel_R_C"), flat.getMessage());
    assertTrue(Preprocessor.fromJson(p.toJson()).apply(d).x()[5] == out.x()[5]);
  }
}
