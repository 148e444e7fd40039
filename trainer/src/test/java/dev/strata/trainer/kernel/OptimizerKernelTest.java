package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.Arrays2.ODD;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every fused optimizer update against its scalar twin for three consecutive steps on lengths
 * {1, 3, 17, 63, 130} with non-zero offsets, L2 and (AdamW) decoupled decay. Weights and state
 * agree within 1e-6 absolute + 1e-5 relative (the fused kernels round once per fma).
 */
class OptimizerKernelTest {

  private interface Step {
    void apply(int len, float[] w, float[] g, float[] s1, float[] s2, int off);
  }

  private static void compare(String name, Step vector, Step scalar) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode());
    for (int len : ODD) {
      int off = 3;
      float[] w = Arrays2.random(rnd, off, len, -1, 1);
      float[] s1 = Arrays2.random(rnd, off, len, 0, 0.1);
      float[] s2 = Arrays2.random(rnd, off, len, 0, 0.1);
      float[] we = w.clone(), s1e = s1.clone(), s2e = s2.clone();
      for (int step = 0; step < 3; step++) {
        float[] g = Arrays2.random(rnd, off, len, -1, 1);
        vector.apply(len, w, g, s1, s2, off);
        scalar.apply(len, we, g, s1e, s2e, off);
      }
      Arrays2.assertClose(we, w, off, len, 1e-6, 1e-5, name + " w len " + len);
      Arrays2.assertClose(s1e, s1, off, len, 1e-6, 1e-5, name + " state1 len " + len);
      Arrays2.assertClose(s2e, s2, off, len, 1e-6, 1e-5, name + " state2 len " + len);
      Arrays2.assertMarginUntouched(w, off, len);
    }
  }

  @Test
  void sgd() {
    compare("sgd", (n, w, g, a, b, o) -> OptimizerKernel.sgd(n, w, g, o, 0.1f, 0.01f),
        (n, w, g, a, b, o) -> ScalarKernels.sgd(n, w, g, o, 0.1f, 0.01f));
  }

  @Test
  void momentum() {
    compare("momentum", (n, w, g, a, b, o) -> OptimizerKernel.momentum(n, w, g, a, o, 0.1f, 0.9f, 0.01f),
        (n, w, g, a, b, o) -> ScalarKernels.momentum(n, w, g, a, o, 0.1f, 0.9f, 0.01f));
  }

  @Test
  void nesterov() {
    compare("nesterov", (n, w, g, a, b, o) -> OptimizerKernel.nesterov(n, w, g, a, o, 0.1f, 0.9f, 0.01f),
        (n, w, g, a, b, o) -> ScalarKernels.nesterov(n, w, g, a, o, 0.1f, 0.9f, 0.01f));
  }

  @Test
  void adagrad() {
    compare("adagrad", (n, w, g, a, b, o) -> OptimizerKernel.adagrad(n, w, g, a, o, 0.1f, 1e-8f, 0.01f),
        (n, w, g, a, b, o) -> ScalarKernels.adagrad(n, w, g, a, o, 0.1f, 1e-8f, 0.01f));
  }

  @Test
  void rmsprop() {
    compare("rmsprop", (n, w, g, a, b, o) -> OptimizerKernel.rmsprop(n, w, g, a, o, 0.01f, 0.9f, 1e-8f, 0.01f),
        (n, w, g, a, b, o) -> ScalarKernels.rmsprop(n, w, g, a, o, 0.01f, 0.9f, 1e-8f, 0.01f));
  }

  @Test
  void adadelta() {
    compare("adadelta", (n, w, g, a, b, o) -> OptimizerKernel.adadelta(n, w, g, a, b, o, 1f, 0.95f, 1e-6f, 0.01f),
        (n, w, g, a, b, o) -> ScalarKernels.adadelta(n, w, g, a, b, o, 1f, 0.95f, 1e-6f, 0.01f));
  }

  @Test
  void adamAndAdamW() {
    compare("adam", (n, w, g, a, b, o) -> OptimizerKernel.adam(n, w, g, a, b, o, 0.01f, 0.9f, 0.999f, 1e-8f, 2f, 3f, 0.01f, 0f),
        (n, w, g, a, b, o) -> ScalarKernels.adam(n, w, g, a, b, o, 0.01f, 0.9f, 0.999f, 1e-8f, 2f, 3f, 0.01f, 0f));
    compare("adamw", (n, w, g, a, b, o) -> OptimizerKernel.adam(n, w, g, a, b, o, 0.01f, 0.9f, 0.999f, 1e-8f, 2f, 3f, 0f, 0.1f),
        (n, w, g, a, b, o) -> ScalarKernels.adam(n, w, g, a, b, o, 0.01f, 0.9f, 0.999f, 1e-8f, 2f, 3f, 0f, 0.1f));
  }

  /**
   * State that decays into subnormal floats is flushed to +0, and a gradient too small for its
   * square to be normal enters the average of squares as 0: lanes and scalar tail alike (a length of
   * 37 has a tail at every width), with no subnormal left in any state array.
   */
  @Test
  void decayingStateAndTinySquaresNeverLeaveSubnormals() {
    int len = 37;
    float[] w = new float[len];
    float[] g = new float[len];
    float[] m = new float[len];
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      w[i] = 0.5f;
      g[i] = i % 3 == 0 ? 1e-20f : 0.0f; // below sqrt(MIN_NORMAL / 0.001) = 3.4e-18, or exactly 0
      m[i] = 1.25e-38f; // normal, decays below MIN_NORMAL in one step (x 0.9)
      v[i] = i % 2 == 0 ? 1.176e-38f : 1e-3f; // the first decays below MIN_NORMAL (x 0.999)
    }
    OptimizerKernel.adam(len, w, g, m, v, 0, 1e-3f, 0.9f, 0.999f, 1e-8f, 1.0f, 1.0f, 0.0f, 0.0f);
    for (int i = 0; i < len; i++) {
      float mExpected = g[i] * (1.0f - 0.9f) + 1.25e-38f * 0.9f;
      assertNotSubnormal(m[i], "adam m[" + i + "]");
      assertEquals(Math.abs(mExpected) < Float.MIN_NORMAL ? 0.0f : mExpected, m[i], "adam m[" + i + "]");
      assertNotSubnormal(v[i], "adam v[" + i + "]");
      // The tiny gradient's square (1e-40 * 0.001) adds nothing: v is the decayed average alone.
      float decayed = (i % 2 == 0 ? 1.176e-38f : 1e-3f) * 0.999f;
      assertEquals(Math.abs(decayed) < Float.MIN_NORMAL ? 0.0f : decayed, v[i], "adam v[" + i + "]");
    }
    float[] vel = new float[len];
    java.util.Arrays.fill(vel, 1.2e-38f);
    OptimizerKernel.momentum(len, w, new float[len], vel, 0, 0.1f, 0.9f, 0.0f);
    for (int i = 0; i < len; i++) {
      assertEquals(0.0f, vel[i], "momentum velocity[" + i + "] decayed below MIN_NORMAL");
    }
    float[] s = new float[len];
    java.util.Arrays.fill(s, 1.2e-38f);
    OptimizerKernel.rmsprop(len, w, g, s, 0, 0.1f, 0.9f, 1e-8f, 0.0f);
    for (int i = 0; i < len; i++) {
      assertEquals(0.0f, s[i], "rmsprop average[" + i + "]");
    }
  }

  private static void assertNotSubnormal(float x, String what) {
    assertTrue(x == 0.0f || Math.abs(x) >= Float.MIN_NORMAL || Float.isNaN(x), what + " is subnormal: " + x);
  }
}
