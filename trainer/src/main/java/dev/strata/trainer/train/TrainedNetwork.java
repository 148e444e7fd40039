package dev.strata.trainer.train;

import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.NetworkSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A trained network with its spec and provenance: predicts, saves, loads. {@link #predict} is
 * synchronised, so one instance can serve several threads (one at a time); everything else reads
 * immutable data or returns copies.
 */
public final class TrainedNetwork {

  private final Network network;
  private final Provenance provenance;

  TrainedNetwork(Network network, Provenance provenance) {
    this.network = Objects.requireNonNull(network, "network");
    this.provenance = Objects.requireNonNull(provenance, "provenance");
  }

  public NetworkSpec spec() {
    return network.spec();
  }

  public Provenance provenance() {
    return provenance;
  }

  public long parameterCount() {
    return network.parameterCount();
  }

  public long flopsPerSample() {
    return network.flopsPerSample();
  }

  /**
   * Predictions for {@code rows} samples ({@code x} is {@code rows x inputs}, row-major), as a new
   * {@code rows x outputs} array: class probabilities (softmax) for softmax cross-entropy, sigmoid
   * probabilities for binary cross-entropy, raw outputs for MSE. Inference mode (no dropout,
   * batch-norm running statistics).
   */
  public synchronized float[] predict(float[] x, int rows) {
    int in = network.inputs();
    int k = network.outputs();
    if (rows < 0 || x.length < (long) rows * in) {
      throw new IllegalArgumentException("x has " + x.length + " values, need rows*inputs = " + (long) rows * in);
    }
    float[] result = new float[rows * k];
    int cap = network.maxRows();
    float[] chunk = new float[Math.min(rows, cap) * in];
    for (int start = 0; start < rows; start += cap) {
      int n = Math.min(cap, rows - start);
      System.arraycopy(x, start * in, chunk, 0, n * in);
      float[] out = network.forward(chunk, n, false);
      network.toPredictions(out, n);
      System.arraycopy(out, 0, result, start * k, n * k);
    }
    return result;
  }

  /** The most probable class per row (argmax; for one output, probability above 0.5 or value above 0.5). */
  public int[] predictClasses(float[] x, int rows) {
    float[] p = predict(x, rows);
    int k = network.outputs();
    int[] classes = new int[rows];
    for (int r = 0; r < rows; r++) {
      if (k == 1) {
        classes[r] = p[r] > 0.5f ? 1 : 0;
      } else {
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (p[r * k + j] > p[r * k + best]) {
            best = j;
          }
        }
        classes[r] = best;
      }
    }
    return classes;
  }

  /** A copy of all trainable parameters (layout in {@link ModelFile}). */
  public synchronized float[] parameters() {
    return network.parameters().clone();
  }

  /** A copy of the batch-norm running statistics. */
  public synchronized float[] state() {
    return network.state().clone();
  }

  /** Saves spec, provenance and weights to one file; format in {@code docs/model-format.md}. */
  public synchronized void save(Path file) throws IOException {
    ModelFile.write(file, network, provenance);
  }

  /** Loads a file written by {@link #save(Path)}. */
  public static TrainedNetwork load(Path file) throws IOException {
    return ModelFile.read(file);
  }

  Network network() {
    return network;
  }
}
