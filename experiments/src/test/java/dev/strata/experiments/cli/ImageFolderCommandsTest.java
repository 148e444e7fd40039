package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of images end to end: {@code strata train} a small convolutional spec with per-channel
 * normalization and augmentation, save, then {@code strata evaluate} on a folder of larger images,
 * which the model resizes to its own size; the reproduce flags of the image options.
 */
class ImageFolderCommandsTest {

  private static final String SPEC = """
      {"image": {"channels": 3, "height": 8, "width": 8}, "outputs": 2,
       "blocks": [{"type": "conv", "filters": 4, "kernel": 3}, {"type": "pool", "mode": "max", "size": 2}],
       "loss": "softmax_cross_entropy",
       "training": {"optimizer": "adam", "learningRate": 0.02, "batchSize": 8, "epochs": 12,
                    "augment": {"crop": 1, "flip": true}},
       "seed": 1}
      """;

  @TempDir Path dir;

  /** Class "bright": a light square on the left half, "dark": a dark image; RGB PNG files of side {@code side}. */
  private static void folder(Path root, int perClass, int side, long seed) throws Exception {
    Random rnd = new Random(seed);
    for (String c : List.of("bright", "dark")) {
      Files.createDirectories(root.resolve(c));
      for (int n = 0; n < perClass; n++) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < side; i++) {
          for (int j = 0; j < side; j++) {
            int v = c.equals("bright") ? 150 + rnd.nextInt(100) : rnd.nextInt(60);
            img.setRGB(j, i, (v << 16) | (v / 2 << 8) | rnd.nextInt(40));
          }
        }
        ImageIO.write(img, "png", root.resolve(c).resolve(n + ".png").toFile());
      }
    }
  }

  @Test
  void trainOnAFolderWithChannelNormalizationAndAugmentationThenEvaluateResizedImages() throws Exception {
    folder(dir.resolve("train"), 20, 8, 1);
    folder(dir.resolve("new"), 5, 16, 2);
    Path spec = Files.writeString(dir.resolve("cnn.json"), SPEC);
    Path model = dir.resolve("m.strata");
    Cli.Result r = Cli.execute("train", "--dataset", "images:" + dir.resolve("train"), "--channels", "3",
        "--preprocess", "standardize:channels", "--spec", spec.toString(), "--save", model.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    Cli.Result e = Cli.execute("evaluate", model.toString(), "--data", "images:" + dir.resolve("new"));
    assertEquals(0, e.code(), e.out() + e.err());
    assertTrue(e.out().matches("(?s).*\\naccuracy +1\\.0000.*"), "bright and dark images are easy: " + e.out());

    Cli.Result bad = Cli.execute("train", "--dataset", "images:" + dir.resolve("train"), "--image-size", "8by8",
        "--spec", spec.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--image-size 8by8: expected HEIGHTxWIDTH"), bad.err());
  }

  @Test
  void exportWritesTheImageOptionsIntoTheReproduceCommand() {
    var options = dev.strata.trainer.data.DataOptions.defaults().withImage(32, 32, 3);
    String cmd = ExportCommand.trainCommand(new dev.strata.experiments.spec.DataSpec("images:/d", options, 0.2, 0, 1,
        List.of("standardize:channels"), 0, "images:/t", null), Path.of("n.json"), 7, Path.of("r.strata"));
    assertTrue(cmd.contains("--image-size 32x32 --channels 3"), cmd);
    assertTrue(cmd.contains("--test-data images:/t"), cmd);
    assertTrue(cmd.contains("--preprocess standardize:channels"), cmd);
  }
}
