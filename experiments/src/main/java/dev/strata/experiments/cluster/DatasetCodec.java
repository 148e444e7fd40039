package dev.strata.experiments.cluster;

import dev.strata.trainer.data.Dataset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link Dataset} shipped to workers and cached on their disks. Big-endian
 * ({@link DataOutputStream}):
 *
 * <pre>
 *   "STRD" version(int=1) name(UTF) rows features outputs(int) kind(byte 'C' or 'R')
 *   x: rows*features floats   labels: rows ints (C) | targets: rows*outputs floats (R)
 *   featureNames: count(int) UTF...   classNames: count(int) UTF...
 * </pre>
 *
 * Floats are written as their IEEE-754 bits, so a decoded dataset has the same {@link
 * Dataset#hash()}. Stateless.
 */
final class DatasetCodec {

  private static final int MAGIC = 0x53545244; // "STRD"
  private static final int VERSION = 1;

  private DatasetCodec() {}

  static byte[] encode(Dataset d) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 4 * d.x().length
        + 4 * (d.labels() != null ? d.labels().length : d.targets().length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(d.name());
      out.writeInt(d.rows());
      out.writeInt(d.features());
      out.writeInt(d.outputs());
      out.writeByte(d.isClassification() ? 'C' : 'R');
      for (float v : d.x()) {
        out.writeFloat(v);
      }
      if (d.isClassification()) {
        for (int v : d.labels()) {
          out.writeInt(v);
        }
      } else {
        for (float v : d.targets()) {
          out.writeFloat(v);
        }
      }
      writeNames(out, d.featureNames());
      writeNames(out, d.classNames());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when the bytes are not a dataset of this format */
  static Dataset decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IllegalArgumentException("not a Strata dataset file (bad magic or version)");
      }
      String name = in.readUTF();
      int rows = in.readInt();
      int features = in.readInt();
      int outputs = in.readInt();
      boolean classification = in.readByte() == 'C';
      float[] x = new float[Math.multiplyExact(rows, features)];
      for (int i = 0; i < x.length; i++) {
        x[i] = in.readFloat();
      }
      int[] labels = null;
      float[] targets = null;
      if (classification) {
        labels = new int[rows];
        for (int i = 0; i < rows; i++) {
          labels[i] = in.readInt();
        }
      } else {
        targets = new float[Math.multiplyExact(rows, outputs)];
        for (int i = 0; i < targets.length; i++) {
          targets[i] = in.readFloat();
        }
      }
      List<String> featureNames = readNames(in);
      List<String> classNames = readNames(in);
      return new Dataset(name, x, rows, features, labels, targets, outputs, featureNames, classNames);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated dataset file: " + e.getMessage(), e);
    }
  }

  private static void writeNames(DataOutputStream out, List<String> names) throws IOException {
    out.writeInt(names.size());
    for (String n : names) {
      out.writeUTF(n);
    }
  }

  private static List<String> readNames(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative name count");
    }
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(in.readUTF());
    }
    return names;
  }
}
