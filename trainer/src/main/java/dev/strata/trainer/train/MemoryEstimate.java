package dev.strata.trainer.train;

import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.NetworkSpec;

/**
 * Bytes a training run will allocate, estimated from the planned network before anything large
 * exists. Immutable.
 *
 * @param parameterBytes parameters, their gradients and batch-norm statistics
 * @param optimizerBytes optimizer state (0-2 floats per parameter)
 * @param activationBytes every layer's activation and gradient buffers for {@code rows} rows
 * @param otherBytes early-stopping snapshot of the best weights, batch buffers, shuffle order
 * @param rows the row capacity (max of training and evaluation batch)
 */
public record MemoryEstimate(long parameterBytes, long optimizerBytes, long activationBytes, long otherBytes, int rows) {

  public long totalBytes() {
    return parameterBytes + optimizerBytes + activationBytes + otherBytes;
  }

  /** Estimates a run of {@code spec} on {@code trainRows} training rows with batches of up to {@code rows}. */
  public static MemoryEstimate of(NetworkSpec spec, Network planned, int rows, int trainRows, boolean keepBest) {
    long p = planned.parameterCount();
    long s = planned.stateCount();
    long params = 4 * (2 * p + s);
    long optimizer = 4 * p * spec.training().optimizer().stateFloatsPerParameter();
    long activations = planned.bytesFor(rows) - params;
    long batch = 4L * rows * (spec.inputs() + spec.outputs() + 1);
    long other = (keepBest ? 4 * (p + s) : 0) + batch + 4L * trainRows;
    return new MemoryEstimate(params, optimizer, activations, other, rows);
  }

  @Override
  public String toString() {
    return human(totalBytes()) + " (parameters and gradients " + human(parameterBytes) + ", optimizer state "
        + human(optimizerBytes) + ", activations for " + rows + " rows " + human(activationBytes) + ", other "
        + human(otherBytes) + ")";
  }

  /** Bytes in B, KiB, MiB, GiB or TiB with three significant digits. */
  static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.3g %s", v, units[u]);
  }
}
