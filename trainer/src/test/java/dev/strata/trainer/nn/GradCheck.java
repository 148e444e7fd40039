package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Central finite differences against analytic gradients, for float32 layers.
 *
 * <p>The loss is evaluated in double from the layer's float outputs; each probe moves one float by
 * {@code eps} and divides by the step actually representable in float. Tolerance: relative error
 * {@code |a - n| / max(|a|, |n|, floor) <= tol}, where the floor absorbs float rounding noise of order
 * 1e-7 |loss| / eps on near-zero gradients. Defaults: eps 3e-3, tol 1e-2, floor 1e-2.
 */
final class GradCheck {

  interface Loss {
    double eval();
  }

  static final double EPS = 3e-3;
  static final double TOL = 1e-2;
  static final double FLOOR = 1e-2;

  private GradCheck() {}

  /**
   * Checks {@code analytic[aOff + i]} against d loss / d values[off + i] for up to {@code maxProbes}
   * indices (all when len is smaller, otherwise a seeded sample).
   */
  static void check(String what, float[] values, int off, int len, float[] analytic, int aOff, Loss loss, int maxProbes) {
    SplittableRandom rnd = new SplittableRandom(what.hashCode());
    int probes = Math.min(len, maxProbes);
    double worst = 0;
    for (int p = 0; p < probes; p++) {
      int i = len <= maxProbes ? p : rnd.nextInt(len);
      float orig = values[off + i];
      float up = (float) (orig + EPS);
      float down = (float) (orig - EPS);
      values[off + i] = up;
      double lu = loss.eval();
      values[off + i] = down;
      double ld = loss.eval();
      values[off + i] = orig;
      double numeric = (lu - ld) / ((double) up - down);
      double a = analytic[aOff + i];
      double err = Math.abs(a - numeric) / Math.max(FLOOR, Math.max(Math.abs(a), Math.abs(numeric)));
      worst = Math.max(worst, err);
      if (!(err <= TOL)) {
        fail(what + "[" + i + "]: analytic " + a + " numeric " + numeric + " (relative error " + err + ")");
      }
    }
  }

  /** sum_i r_i y_i in double over the first n entries. */
  static double dot(float[] r, float[] y, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) r[i] * y[i];
    }
    return s;
  }

  static float[] random(SplittableRandom rnd, int n, double lo, double hi) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
    }
    return a;
  }

  /**
   * Full check of one layer under the loss sum r * forward(x): input gradient and every parameter
   * slot of {@code params} (which must have been allocated and initialised).
   */
  static void checkLayer(String what, Layer layer, ParameterStore params, float[] x, int rows, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int outN = rows * layer.outputWidth();
    float[] r = random(rnd, outN, -1, 1);
    Loss loss = () -> dot(r, layer.forward(x, rows, true), outN);
    layer.forward(x, rows, true);
    float[] dx = layer.backward(r, rows).clone();
    float[] grads = params.gradients() == null ? new float[0] : params.gradients().clone();
    check(what + " dx", x, 0, rows * layer.inputWidth(), dx, 0, loss, 60);
    for (ParameterStore.Slot s : params.slots()) {
      check(what + " " + s.name(), params.values(), s.offset(), s.size(), grads, s.offset(), loss, 60);
    }
  }
}
