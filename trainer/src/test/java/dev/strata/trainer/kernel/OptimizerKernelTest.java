package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.Arrays2.ODD;

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
}
