package dev.strata.trainer.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Loads IDX files, the format of MNIST and Fashion-MNIST, raw or gzipped (detected from the
 * content). Stateless and thread-safe.
 *
 * <p><b>Format.</b> A big-endian header: two zero bytes, a type byte ({@code 0x08} unsigned byte,
 * {@code 0x09} signed byte, {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float, {@code 0x0E}
 * double), a dimension count {@code n}, then {@code n} 32-bit sizes, then the values. An image file
 * has 3 dimensions ({@code count × height × width}, magic {@code 0x00000803} for bytes), a label
 * file 1 (magic {@code 0x00000801}).
 *
 * <p><b>Result.</b> One row per image, {@code height × width} features named {@code pixel_R_C};
 * unsigned-byte pixels are divided by 255 so they lie in [0, 1], other types are kept as they are.
 * Labels must be integers {@code >= 0}; the classes are {@code 0..max}, named by their number.
 *
 * <p><b>Directories.</b> {@link #loadDirectory(Path, String)} finds {@code PART-images-idx3-ubyte}
 * and {@code PART-labels-idx1-ubyte} (also with {@code .} instead of the last {@code -}, and with
 * {@code .gz}) for {@code PART} = {@code train} or {@code t10k}.
 */
public final class IdxLoader {

  /** The two parts of an MNIST-style directory. */
  public static final List<String> PARTS = List.of("train", "t10k");

  private IdxLoader() {}

  /** The contents of one IDX file: its type code, dimensions and values as doubles-in-floats. */
  public record IdxArray(int type, int[] dimensions, float[] values) {
    /** Number of entries along the first dimension. */
    public int count() {
      return dimensions[0];
    }
  }

  /** Reads any IDX file. */
  public static IdxArray read(Path path) {
    return parse(Io.readAll(Io.open(path, "IDX"), path.toString()), path.toString());
  }

  /** Parses IDX bytes (already gunzipped); {@code source} names them in messages. */
  public static IdxArray parse(byte[] bytes, String source) {
    if (bytes.length < 4) {
      throw new DataFormatException(source + ": " + bytes.length + " bytes is too short for an IDX header; the file is empty or truncated, re-download it");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int magic = buf.getInt();
    int type = (magic >>> 8) & 0xff;
    int rank = magic & 0xff;
    int size = switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> -1;
    };
    if ((magic >>> 16) != 0 || size < 0 || rank == 0) {
      throw new DataFormatException(source + ": bad magic number " + hex(magic)
          + ", expected 0x00000803 (images) or 0x00000801 (labels); this is not an IDX file"
          + (bytes.length > 1 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b ? " (it is doubly gzipped)" : "")
          + " -- check that it is the MNIST-style file and that the download finished");
    }
    if (bytes.length < 4 + 4L * rank) {
      throw new DataFormatException(source + ": header declares " + rank + " dimensions but the file ends after "
          + bytes.length + " bytes; the file is truncated, re-download it");
    }
    int[] dims = new int[rank];
    long count = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = buf.getInt();
      if (dims[i] < 0) {
        throw new DataFormatException(source + ": dimension " + (i + 1) + " is negative (" + dims[i] + "); the header is corrupt");
      }
      count *= dims[i];
    }
    long expected = count * size;
    long actual = bytes.length - 4L - 4L * rank;
    if (actual != expected) {
      throw new DataFormatException(source + ": header declares " + shape(dims) + " = " + count + " values ("
          + expected + " bytes) but " + actual + " bytes follow; the file is "
          + (actual < expected ? "truncated" : "followed by extra data") + ", re-download it");
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new DataFormatException(source + ": " + count + " values do not fit in one array; split the file");
    }
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (type) {
        case 0x08 -> buf.get() & 0xff;
        case 0x09 -> buf.get();
        case 0x0B -> buf.getShort();
        case 0x0C -> buf.getInt();
        case 0x0D -> buf.getFloat();
        default -> (float) buf.getDouble();
      };
    }
    return new IdxArray(type, dims, values);
  }

  /** Loads an images file (3 dimensions) and its labels file (1 dimension) into one dataset. */
  public static Dataset load(Path images, Path labels, String name) {
    IdxArray img = read(images);
    IdxArray lab = read(labels);
    if (img.dimensions().length < 2) {
      throw new DataFormatException(images + ": has " + img.dimensions().length
          + " dimension, an images file needs at least 2 (count x features, usually count x height x width);"
          + " did you swap the images and labels files?");
    }
    if (lab.dimensions().length != 1) {
      throw new DataFormatException(labels + ": has " + lab.dimensions().length + " dimensions " + shape(lab.dimensions())
          + ", a labels file has 1; did you swap the images and labels files?");
    }
    if (lab.type() == 0x0D || lab.type() == 0x0E) {
      throw new DataFormatException(labels + ": labels are floating-point (type " + hex(lab.type())
          + "), expected integer class numbers (type 0x08)");
    }
    int rows = img.count();
    if (lab.count() != rows) {
      throw new DataFormatException(images + " has " + rows + " images but " + labels + " has " + lab.count()
          + " labels; use the matching pair of files");
    }
    int features = rows == 0 ? 0 : img.values().length / rows;
    if (rows == 0) {
      int f = 1;
      for (int i = 1; i < img.dimensions().length; i++) {
        f *= img.dimensions()[i];
      }
      features = f;
    }
    float[] x = img.values();
    if (img.type() == 0x08) {
      for (int i = 0; i < x.length; i++) {
        x[i] /= 255f;
      }
    }
    int[] y = new int[rows];
    int max = -1;
    for (int i = 0; i < rows; i++) {
      y[i] = (int) lab.values()[i];
      if (y[i] < 0) {
        throw new DataFormatException(labels + ": label " + (i + 1) + " is " + y[i] + ", expected a class number >= 0");
      }
      max = Math.max(max, y[i]);
    }
    List<String> featureNames = new ArrayList<>(features);
    int[] d = img.dimensions();
    if (d.length == 3) {
      for (int r = 0; r < d[1]; r++) {
        for (int c = 0; c < d[2]; c++) {
          featureNames.add("pixel_" + r + "_" + c);
        }
      }
    } else {
      featureNames = Dataset.names("f", features);
    }
    return new Dataset(name, x, rows, features, y, null, 0, featureNames, Dataset.names("", max + 1));
  }

  /**
   * Loads part {@code part} ({@code train} or {@code t10k}) of an MNIST-style directory; the dataset
   * is named {@code DIRNAME/PART}.
   */
  public static Dataset loadDirectory(Path dir, String part) {
    if (!PARTS.contains(part)) {
      throw new DataFormatException("unknown IDX part '" + part + "'; use one of " + PARTS);
    }
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": " + (Files.exists(dir) ? "is not a directory" : "directory not found")
          + "; idx: expects a directory holding " + part + "-images-idx3-ubyte(.gz) and " + part + "-labels-idx1-ubyte(.gz)");
    }
    Path images = find(dir, part, "images", "idx3");
    Path labels = find(dir, part, "labels", "idx1");
    String dirName = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toString()
        : dir.toAbsolutePath().normalize().getFileName().toString();
    return load(images, labels, dirName + "/" + part);
  }

  /** Checks that part {@code part} of {@code dir} has its images and labels files, without reading them. */
  static void checkDirectory(Path dir, String part) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": directory not found; idx: expects a directory holding " + part
          + "-images-idx3-ubyte(.gz) and " + part + "-labels-idx1-ubyte(.gz)");
    }
    find(dir, part, "images", "idx3");
    find(dir, part, "labels", "idx1");
  }

  private static Path find(Path dir, String part, String kind, String idx) {
    Pattern pattern = Pattern.compile(Pattern.quote(part) + "-" + kind + "[-.]" + idx + "-ubyte(\\.gz)?");
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        if (pattern.matcher(p.getFileName().toString().toLowerCase(Locale.ROOT)).matches()) {
          found.add(p);
        }
      }
    } catch (IOException e) {
      throw new DataFormatException(dir + ": cannot list directory (" + e.getMessage() + ")", e);
    }
    found.sort(null);
    if (found.isEmpty()) {
      throw new DataFormatException(dir + ": no " + part + "-" + kind + "-" + idx + "-ubyte or " + part + "-" + kind + "-" + idx
          + "-ubyte.gz file; put the MNIST-style " + kind + " file there (names as in the original download)");
    }
    if (found.size() > 1) {
      // Prefer the uncompressed file when both exist; they are the same data.
      for (Path p : found) {
        if (!p.getFileName().toString().endsWith(".gz")) {
          return p;
        }
      }
    }
    return found.getFirst();
  }

  private static String hex(int v) {
    return String.format("0x%08X", v);
  }

  private static String shape(int[] dims) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : " x ").append(dims[i]);
    }
    return sb.toString();
  }
}
