package dev.strata.trainer.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Loads a folder of images, one subfolder per class, into a {@link Dataset}. Stateless and
 * thread-safe.
 *
 * <p><b>Layout.</b> {@code DIR/CLASS/FILE}: each subfolder of {@code DIR} is a class, named after
 * the folder, classes in {@link String#compareTo} order of the names; files ending in {@code .png},
 * {@code .jpg} or {@code .jpeg} (any case) are its images, read with {@link ImageIO} in name order.
 * Names starting with {@code .} are skipped; other files are ignored.
 *
 * <p><b>Pixels.</b> With a stated size ({@link DataOptions#imageHeight()} × {@link
 * DataOptions#imageWidth()}) every image is resized to it with bilinear interpolation (Java2D);
 * without one every image must have the same size. With 3 channels (RGB) a row holds the red plane
 * row by row, then green, then blue (NCHW, as {@link CifarLoader}), features named {@code r_I_J},
 * {@code g_I_J}, {@code b_I_J}; with 1 channel the grey value ({@code 0.299 R + 0.587 G + 0.114 B}
 * for colour files), features named {@code pixel_I_J} (as {@link IdxLoader}). Values are divided by
 * 255. The channel count is {@link DataOptions#imageChannels()}, or 1 when every file is grey and
 * 3 otherwise. Transparency is dropped.
 *
 * <p><b>Errors</b> are one line naming the folder or file: no class folders, an empty class
 * folder, a file that is not a readable image, mixed image sizes without a stated size.
 */
public final class ImageFolderLoader {

  private ImageFolderLoader() {}

  private record Item(Path file, int label) {}

  /** Loads {@code dir} with the image options of {@code options}. */
  public static Dataset load(Path dir, DataOptions options) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": " + (Files.exists(dir) ? "is not a directory" : "directory not found")
          + "; images: expects a directory with one subfolder of PNG or JPEG files per class");
    }
    List<Path> classDirs = list(dir).stream().filter(Files::isDirectory).toList();
    if (classDirs.isEmpty()) {
      throw new DataFormatException(dir + ": no class folders; put the images in one subfolder per class"
          + " (DIR/cat/1.png, DIR/dog/2.png, ...)");
    }
    List<String> classNames = new ArrayList<>();
    List<Item> items = new ArrayList<>();
    for (Path c : classDirs) {
      List<Path> files = list(c).stream().filter(f -> isImage(f) && Files.isRegularFile(f)).toList();
      if (files.isEmpty()) {
        throw new DataFormatException(c + ": empty class folder (no .png, .jpg or .jpeg files); add images or remove"
            + " the folder");
      }
      for (Path f : files) {
        items.add(new Item(f, classNames.size()));
      }
      classNames.add(c.getFileName().toString());
    }
    List<BufferedImage> images = new ArrayList<>(items.size());
    boolean allGrey = true;
    for (Item it : items) {
      BufferedImage img = read(it.file());
      allGrey &= img.getType() == BufferedImage.TYPE_BYTE_GRAY || img.getType() == BufferedImage.TYPE_USHORT_GRAY;
      images.add(img);
    }
    int h = options.imageHeight();
    int w = options.imageWidth();
    if (h == 0) {
      h = images.getFirst().getHeight();
      w = images.getFirst().getWidth();
      for (int i = 1; i < images.size(); i++) {
        BufferedImage img = images.get(i);
        if (img.getHeight() != h || img.getWidth() != w) {
          throw new DataFormatException(items.get(i).file() + ": " + img.getWidth() + "x" + img.getHeight() + " (width x height)"
              + " image, but " + items.getFirst().file() + " is " + w + "x" + h + " (mixed image sizes); resize the"
              + " files to one size, or state one to resize to (experiment: \"image\": {\"height\": " + h + ", \"width\": "
              + w + "}; strata train: --image-size " + h + "x" + w + ")");
        }
      }
    }
    int channels = options.imageChannels() != 0 ? options.imageChannels() : allGrey ? 1 : 3;
    int plane = h * w;
    int features = channels * plane;
    if ((long) features * items.size() > Integer.MAX_VALUE - 16) {
      throw new DataFormatException(dir + ": " + items.size() + " images of " + features + " values exceed one Java array;"
          + " state a smaller size");
    }
    float[] x = new float[items.size() * features];
    int[] y = new int[items.size()];
    int[] argb = new int[plane];
    for (int r = 0; r < items.size(); r++) {
      BufferedImage img = resize(images.get(r), h, w);
      img.getRGB(0, 0, w, h, argb, 0, w);
      int base = r * features;
      for (int p = 0; p < plane; p++) {
        int red = (argb[p] >> 16) & 0xff;
        int green = (argb[p] >> 8) & 0xff;
        int blue = argb[p] & 0xff;
        if (channels == 1) {
          x[base + p] = (float) ((0.299 * red + 0.587 * green + 0.114 * blue) / 255.0);
        } else {
          x[base + p] = red / 255f;
          x[base + plane + p] = green / 255f;
          x[base + 2 * plane + p] = blue / 255f;
        }
      }
      y[r] = items.get(r).label();
      images.set(r, null);
    }
    List<String> names = new ArrayList<>(features);
    for (String c : channels == 1 ? new String[] {"pixel"} : new String[] {"r", "g", "b"}) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          names.add(c + "_" + i + "_" + j);
        }
      }
    }
    String name = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
        : dir.toAbsolutePath().normalize().getFileName().toString();
    return new Dataset(name, x, items.size(), features, y, null, 0, names, classNames);
  }

  private static boolean isImage(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new DataFormatException(dir + ": cannot list directory (" + e.getMessage() + ")", e);
    }
  }

  private static BufferedImage read(Path f) {
    BufferedImage img;
    try {
      img = ImageIO.read(f.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DataFormatException(f + ": not a readable PNG or JPEG image (" + e.getMessage() + "); re-save it or"
          + " remove it", e);
    }
    if (img == null) {
      throw new DataFormatException(f + ": not a PNG or JPEG image (no reader recognises its content); re-save it as"
          + " PNG or JPEG, or remove it");
    }
    return img;
  }

  private static BufferedImage resize(BufferedImage img, int h, int w) {
    if (img.getHeight() == h && img.getWidth() == w) {
      return img;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
