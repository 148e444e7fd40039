package dev.strata.experiments.objective;

import dev.strata.common.Quantiles;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.train.TrainedNetwork;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The measured inference latency of a trained network, in milliseconds per sample: {@code
 * latency_ms_b1} at batch 1 and {@code latency_ms_b64} at batch 64. Each is the median of {@value
 * #REPEATS} timed {@link TrainedNetwork#predict} calls (preprocessing included, as a user's
 * prediction pays it) after {@value #WARMUP} untimed ones, divided by the batch size, on the first
 * rows of the given data (cycled when it has fewer). One thread, the trial's own.
 *
 * <p>A measurement of this machine under its load at that moment, not a function of the
 * configuration and seed: two runs of one experiment store different values, so comparisons of runs
 * for identical bits leave these two metrics out. Stateless and thread-safe.
 */
public final class InferenceLatency {

  /** The metric names, usable in {@code objectives} and {@code constraints} (checked after training). */
  public static final List<String> METRICS = ExperimentReader.LATENCY_METRICS;
  public static final String BATCH_1 = METRICS.get(0);
  public static final String BATCH_64 = METRICS.get(1);
  static final int WARMUP = 3;
  static final int REPEATS = 11;

  private InferenceLatency() {}

  /** Whether any of {@code metrics} is a latency metric (then trials measure it). */
  public static boolean named(List<String> metrics) {
    return metrics.stream().anyMatch(METRICS::contains);
  }

  /** Measures both batch sizes on rows of {@code data} and puts them into {@code out}. */
  static void measure(Map<String, Double> out, TrainedNetwork network, Dataset data) {
    if (data.rows() == 0 || data.features() != network.inputs()) {
      return;
    }
    out.put(BATCH_1, msPerSample(network, rows(data, 1), 1));
    out.put(BATCH_64, msPerSample(network, rows(data, 64), 64));
  }

  /** The median over {@link #REPEATS} calls of one call's milliseconds, per sample. */
  static double msPerSample(TrainedNetwork network, float[] x, int batch) {
    for (int i = 0; i < WARMUP; i++) {
      network.predict(x, batch);
    }
    double[] ms = new double[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      long t0 = System.nanoTime();
      network.predict(x, batch);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return Quantiles.type7(ms, 0.5) / batch;
  }

  /** The first {@code n} rows of {@code data}, cycled when it has fewer. */
  static float[] rows(Dataset data, int n) {
    int f = data.features();
    float[] x = new float[n * f];
    for (int r = 0; r < n; r++) {
      System.arraycopy(data.x(), (r % data.rows()) * f, x, r * f, f);
    }
    return x;
  }
}
