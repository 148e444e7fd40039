package dev.strata.trainer.train;

import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The complete state of a training run at the end of an epoch, from which {@link
 * Trainer#resume} continues it exactly: the run then ends with the same weights and metrics, bit
 * for bit, as one that was never paused. Written by a run that {@link TrainingStatus#PAUSED paused}.
 *
 * <p>Holds the spec (seed and epoch horizon included), the weights and batch-norm statistics, the
 * optimizer's buffers and step count, the mini-batch step counter, the divergence reference, the
 * early-stopping bookkeeping (best loss, epoch, patience count and best weights), the dropout stream's
 * position, and the epoch history. The shuffle stream is not stored: it draws a fixed number of
 * values per epoch, so the resumed run replays it from the seed.
 *
 * <p>File format (big-endian, see {@link #write}): magic {@code "STRATACK"}, version, the spec as
 * JSON, the scalars, the history, the float arrays, and a CRC-32 of everything before it, so a
 * truncated or damaged file is refused rather than silently resumed. Immutable: arrays are copied
 * in and out.
 */
public final class TrainingCheckpoint {

  static final byte[] MAGIC = "STRATACK".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  /** Arrays longer than this are taken as corruption, not allocated. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final NetworkSpec spec;
  private final String datasetHash;
  private final int epochs;
  private final long step;
  private final double firstLoss;
  private final double bestLoss;
  private final int bestEpoch;
  private final int sinceBest;
  private final long optimizerSteps;
  private final long dropoutDraws;
  private final double seconds;
  private final List<EpochMetrics> history;
  private final float[] parameters;
  private final float[] state;
  private final List<float[]> optimizerBuffers;
  private final float[] bestParameters;
  private final float[] bestState;

  TrainingCheckpoint(NetworkSpec spec, String datasetHash, int epochs, long step, double firstLoss, double bestLoss,
      int bestEpoch, int sinceBest, long optimizerSteps, long dropoutDraws, double seconds, List<EpochMetrics> history,
      float[] parameters, float[] state, List<float[]> optimizerBuffers, float[] bestParameters, float[] bestState) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.datasetHash = Objects.requireNonNull(datasetHash, "datasetHash");
    if (epochs < 1 || epochs > spec.training().epochs()) {
      throw new IllegalArgumentException("a checkpoint is taken after epoch 1.." + spec.training().epochs() + ", got " + epochs);
    }
    if ((bestParameters == null) != (bestState == null)) {
      throw new IllegalArgumentException("best parameters and best state are kept together or not at all");
    }
    this.epochs = epochs;
    this.step = step;
    this.firstLoss = firstLoss;
    this.bestLoss = bestLoss;
    this.bestEpoch = bestEpoch;
    this.sinceBest = sinceBest;
    this.optimizerSteps = optimizerSteps;
    this.dropoutDraws = dropoutDraws;
    this.seconds = seconds;
    this.history = List.copyOf(history);
    this.parameters = parameters.clone();
    this.state = state.clone();
    this.optimizerBuffers = optimizerBuffers.stream().map(float[]::clone).toList();
    this.bestParameters = bestParameters == null ? null : bestParameters.clone();
    this.bestState = bestState == null ? null : bestState.clone();
  }

  /** The spec being trained; its {@code epochs} is the horizon the run continues to. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The hash of the data the run trained on ({@link DatasetHash}); resuming on other data is refused. */
  public String datasetHash() {
    return datasetHash;
  }

  /** Epochs completed. */
  public int epochs() {
    return epochs;
  }

  /** Training seconds spent before the pause. */
  public double seconds() {
    return seconds;
  }

  /** One entry per completed epoch. */
  public List<EpochMetrics> history() {
    return history;
  }

  long step() {
    return step;
  }

  double firstLoss() {
    return firstLoss;
  }

  double bestLoss() {
    return bestLoss;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  int sinceBest() {
    return sinceBest;
  }

  long optimizerSteps() {
    return optimizerSteps;
  }

  long dropoutDraws() {
    return dropoutDraws;
  }

  /** Copies the saved arrays into a run's live arrays (sizes were checked against the spec on load). */
  void restore(float[] params, float[] netState, List<float[]> optimizer, float[] bestParams, float[] bestNetState) {
    System.arraycopy(parameters, 0, params, 0, parameters.length);
    System.arraycopy(state, 0, netState, 0, state.length);
    if (optimizer.size() != optimizerBuffers.size()) {
      throw new IllegalArgumentException("the checkpoint has " + optimizerBuffers.size()
          + " optimizer buffers, the optimizer " + optimizer.size());
    }
    for (int i = 0; i < optimizer.size(); i++) {
      float[] saved = optimizerBuffers.get(i);
      if (saved.length != optimizer.get(i).length) {
        throw new IllegalArgumentException("optimizer buffer " + i + " has " + saved.length + " values, expected "
            + optimizer.get(i).length);
      }
      System.arraycopy(saved, 0, optimizer.get(i), 0, saved.length);
    }
    if ((bestParams == null) != (bestParameters == null)) {
      throw new IllegalArgumentException("the checkpoint " + (bestParameters == null ? "lacks" : "has")
          + " early-stopping weights, the run " + (bestParams == null ? "does not keep them" : "needs them"));
    }
    if (bestParams != null) {
      System.arraycopy(bestParameters, 0, bestParams, 0, bestParameters.length);
      System.arraycopy(bestState, 0, bestNetState, 0, bestState.length);
    }
  }

  /**
   * The weights a finished run would end with if it stopped here: the early-stopping best when one
   * is kept (as the trainer restores it), else the current ones. Copies.
   */
  public float[] finalParameters() {
    return (bestParameters != null && bestEpoch > 0 ? bestParameters : parameters).clone();
  }

  /** Saves to {@code file} atomically (temporary file, then move): a crash leaves the old file or none. */
  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32 crc = new CRC32();
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
        CheckedOutputStream checked = new CheckedOutputStream(raw, crc);
        DataOutputStream out = new DataOutputStream(checked)) {
      out.write(MAGIC);
      out.writeInt(VERSION);
      writeString(out, NetworkSpecs.toJson(spec));
      writeString(out, datasetHash);
      out.writeInt(epochs);
      out.writeLong(step);
      out.writeDouble(firstLoss);
      out.writeDouble(bestLoss);
      out.writeInt(bestEpoch);
      out.writeInt(sinceBest);
      out.writeLong(optimizerSteps);
      out.writeLong(dropoutDraws);
      out.writeDouble(seconds);
      out.writeInt(history.size());
      for (EpochMetrics m : history) {
        out.writeInt(m.epoch());
        out.writeDouble(m.trainLoss());
        out.writeDouble(m.validationLoss());
        out.writeDouble(m.validationAccuracy());
        out.writeDouble(m.validationRmse());
        out.writeDouble(m.learningRate());
        out.writeDouble(m.seconds());
      }
      writeFloats(out, parameters);
      writeFloats(out, state);
      out.writeInt(optimizerBuffers.size());
      for (float[] b : optimizerBuffers) {
        writeFloats(out, b);
      }
      out.writeBoolean(bestParameters != null);
      if (bestParameters != null) {
        writeFloats(out, bestParameters);
        writeFloats(out, bestState);
      }
      out.flush();
      raw.write(longBytes(crc.getValue()));
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a file written by {@link #write}.
   *
   * @throws IOException when the file is missing, not a checkpoint, of another version, truncated,
   *     damaged (checksum), or its arrays do not fit its spec; the message names the file and the problem
   */
  public static TrainingCheckpoint read(Path file) throws IOException {
    CRC32 crc = new CRC32();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        CheckedInputStream checked = new CheckedInputStream(raw, crc);
        DataInputStream in = new DataInputStream(checked)) {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a Strata training checkpoint (the first 8 bytes are not \"STRATACK\")");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(file + ": checkpoint format version " + version + ", this Strata reads version " + VERSION);
      }
      NetworkSpec spec;
      try {
        spec = NetworkSpecs.parse(readString(in, file), file.getFileName() + "#/spec");
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": invalid spec in the checkpoint: " + e.getMessage(), e);
      }
      String datasetHash = readString(in, file);
      int epochs = in.readInt();
      long step = in.readLong();
      double firstLoss = in.readDouble();
      double bestLoss = in.readDouble();
      int bestEpoch = in.readInt();
      int sinceBest = in.readInt();
      long optimizerSteps = in.readLong();
      long dropoutDraws = in.readLong();
      double seconds = in.readDouble();
      int n = in.readInt();
      if (n < 0 || n > epochs) {
        throw new IOException(file + ": corrupt history length " + n);
      }
      List<EpochMetrics> history = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        history.add(new EpochMetrics(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
            in.readDouble(), in.readDouble()));
      }
      float[] parameters = readFloats(in, file);
      float[] state = readFloats(in, file);
      int buffers = in.readInt();
      if (buffers < 0 || buffers > 16) {
        throw new IOException(file + ": corrupt optimizer buffer count " + buffers);
      }
      List<float[]> optimizer = new ArrayList<>(buffers);
      for (int i = 0; i < buffers; i++) {
        optimizer.add(readFloats(in, file));
      }
      float[] bestParameters = null;
      float[] bestState = null;
      if (in.readBoolean()) {
        bestParameters = readFloats(in, file);
        bestState = readFloats(in, file);
      }
      long expected = crc.getValue();
      byte[] stored = new byte[8];
      if (raw.readNBytes(stored, 0, 8) != 8 || bytesLong(stored) != expected) {
        throw new IOException(file + ": damaged checkpoint (checksum mismatch)");
      }
      if (raw.read() != -1) {
        throw new IOException(file + ": unexpected bytes after the checkpoint");
      }
      dev.strata.trainer.nn.Network planned = dev.strata.trainer.nn.Network.of(spec);
      if (parameters.length != planned.parameterCount() || state.length != planned.stateCount()
          || (bestParameters != null && (bestParameters.length != parameters.length || bestState.length != state.length))) {
        throw new IOException(file + ": the saved arrays do not fit the spec (" + parameters.length + " parameters, the spec has "
            + planned.parameterCount() + ")");
      }
      try {
        return new TrainingCheckpoint(spec, datasetHash, epochs, step, firstLoss, bestLoss, bestEpoch, sinceBest,
            optimizerSteps, dropoutDraws, seconds, history, parameters, state, optimizer, bestParameters, bestState);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    } catch (EOFException e) {
      throw new IOException(file + ": truncated checkpoint", e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in, Path file) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > 64 << 20) {
      throw new IOException(file + ": corrupt string length " + len);
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    byte[] buf = new byte[Math.min(values.length, 1 << 14) * 4];
    int pos = 0;
    for (float v : values) {
      int bits = Float.floatToRawIntBits(v);
      buf[pos++] = (byte) (bits >>> 24);
      buf[pos++] = (byte) (bits >>> 16);
      buf[pos++] = (byte) (bits >>> 8);
      buf[pos++] = (byte) bits;
      if (pos == buf.length) {
        out.write(buf, 0, pos);
        pos = 0;
      }
    }
    out.write(buf, 0, pos);
  }

  private static float[] readFloats(DataInputStream in, Path file) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ARRAY) {
      throw new IOException(file + ": corrupt array length " + n);
    }
    float[] values = new float[n];
    byte[] buf = new byte[Math.min(n, 1 << 14) * 4];
    for (int i = 0; i < n; ) {
      int count = Math.min(buf.length / 4, n - i);
      in.readFully(buf, 0, count * 4);
      for (int j = 0; j < count; j++) {
        int p = j * 4;
        values[i + j] = Float.intBitsToFloat(((buf[p] & 0xff) << 24) | ((buf[p + 1] & 0xff) << 16)
            | ((buf[p + 2] & 0xff) << 8) | (buf[p + 3] & 0xff));
      }
      i += count;
    }
    return values;
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  private static long bytesLong(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
  }
}
