package dev.strata.trainer.train;

import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.Loss;

/**
 * Inference-mode metrics of a network on a dataset, in chunks of the network's row capacity.
 * Accuracy: argmax over the outputs, or for a single output a threshold (logit 0 for binary
 * cross-entropy, 0.5 for MSE). Regression metrics are over all outputs. Not thread-safe.
 */
final class Evaluator {

  private final Network net;
  private final Batches batch;
  private final int chunk;

  Evaluator(Network net, Batches batch, int chunk) {
    this.net = net;
    this.batch = batch;
    this.chunk = chunk;
  }

  SplitMetrics evaluate(Dataset d) {
    int n = d.rows();
    if (n == 0) {
      return SplitMetrics.EMPTY;
    }
    int k = net.outputs();
    boolean classification = d.isClassification();
    double lossSum = 0;
    long correct = 0;
    double se = 0;
    double ae = 0;
    double[] sum = new double[classification ? 0 : k];
    double[] sumSq = new double[classification ? 0 : k];
    for (int start = 0; start < n; start += chunk) {
      int rows = Math.min(chunk, n - start);
      batch.slice(d, start, rows);
      float[] out = net.forward(batch.x, rows, false);
      lossSum += net.lossFunction().apply(out, rows, batch.labels, batch.targets, null) * rows;
      if (classification) {
        for (int r = 0; r < rows; r++) {
          correct += predictedClass(out, r, k) == batch.labels[r] ? 1 : 0;
        }
      } else {
        for (int i = 0; i < rows * k; i++) {
          double t = batch.targets[i];
          double e = out[i] - t;
          se += e * e;
          ae += Math.abs(e);
          sum[i % k] += t;
          sumSq[i % k] += t * t;
        }
      }
    }
    double loss = lossSum / n;
    if (classification) {
      return new SplitMetrics(loss, (double) correct / n, Double.NaN, Double.NaN, Double.NaN, n);
    }
    double ssTot = 0;
    for (int j = 0; j < k; j++) {
      ssTot += sumSq[j] - sum[j] * sum[j] / n;
    }
    long count = (long) n * k;
    return new SplitMetrics(loss, Double.NaN, Math.sqrt(se / count), ae / count, ssTot > 0 ? 1 - se / ssTot : Double.NaN, n);
  }

  private int predictedClass(float[] out, int r, int k) {
    if (k == 1) {
      float threshold = net.spec().loss() == Loss.BINARY_CROSS_ENTROPY ? 0f : 0.5f;
      return out[r] > threshold ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (out[r * k + j] > out[r * k + best]) {
        best = j;
      }
    }
    return best;
  }
}
