package dev.strata.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.nn.ParameterStore;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.TrainingSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every optimizer (1) reproduces hand-computed first two steps on f(w) = w^2 from w = 1
 * (g = 2w; the values were worked out from the formulas in each class's javadoc, in double; float
 * arithmetic agrees to 1e-6), and (2) drives a convex quadratic down.
 */
class OptimizerTest {

  private static ParameterStore store(int n, boolean decay) {
    ParameterStore ps = new ParameterStore();
    ps.add("w", 1, n, decay);
    ps.allocate(true);
    return ps;
  }

  private static double[] twoSteps(TrainingSpec spec, boolean decay) {
    ParameterStore ps = store(1, decay);
    float[] w = ps.values();
    float[] g = ps.gradients();
    w[0] = 1f;
    Optimizer opt = Optimizer.create(spec, w, g, ps.slots());
    double[] out = new double[2];
    for (int t = 0; t < 2; t++) {
      g[0] = 2 * w[0];
      opt.step(spec.learningRate());
      out[t] = w[0];
    }
    return out;
  }

  private static void assertSteps(TrainingSpec spec, double first, double second) {
    double[] w = twoSteps(spec, true);
    assertEquals(first, w[0], 1e-6, spec.optimizer() + " step 1");
    assertEquals(second, w[1], 1e-6, spec.optimizer() + " step 2");
  }

  private static TrainingSpec of(OptimizerType type, double lr) {
    return TrainingSpec.defaults().withOptimizer(type).withLearningRate(lr);
  }

  @Test
  void firstTwoStepsMatchHandComputedValues() {
    // sgd: 1 - 0.1*2 = 0.8; 0.8 - 0.1*1.6 = 0.64
    assertSteps(of(OptimizerType.SGD, 0.1), 0.8, 0.64);
    // momentum 0.9: v = 2, w = 0.8; v = 1.8 + 1.6 = 3.4, w = 0.8 - 0.34
    assertSteps(of(OptimizerType.MOMENTUM, 0.1), 0.8, 0.46);
    // nesterov 0.9: v = 2, w = 1 - 0.1 (2 + 1.8) = 0.62; g = 1.24, v = 3.04, w = 0.62 - 0.1 (1.24 + 2.736)
    assertSteps(of(OptimizerType.NESTEROV, 0.1), 0.62, 0.2224);
    // adagrad: G = 4, w = 1 - 0.1 * 2 / 2 = 0.9; G = 7.24, w = 0.9 - 0.18 / sqrt(7.24)
    assertSteps(of(OptimizerType.ADAGRAD, 0.1), 0.9, 0.9 - 0.18 / Math.sqrt(7.24));
    // rmsprop rho 0.9: s = 0.4, w = 1 - 0.01 * 2 / sqrt(0.4)
    assertSteps(of(OptimizerType.RMSPROP, 0.01), 0.9683772238983162, 0.9457880254881013);
    // adadelta rho 0.95 eps 1e-6: d = -sqrt(1e-6) / sqrt(0.2 + 1e-6) * 2
    assertSteps(of(OptimizerType.ADADELTA, 1.0), 0.9955278752252984, 0.9910086802754602);
    // adam: the first step is lr * sign(g) (bias-corrected m^ / sqrt(v^) = 1)
    assertSteps(of(OptimizerType.ADAM, 0.1), 0.9, 0.8004122286917927);
  }

  @Test
  void weightDecayIsL2ForSgdAndDecoupledForAdamW() {
    // sgd, lambda 0.5: w = 1 - 0.1 (2 + 0.5) = 0.75; 0.75 - 0.1 * 0.75 * 2.5 = 0.5625
    assertSteps(of(OptimizerType.SGD, 0.1).withWeightDecay(0.5), 0.75, 0.5625);
    // adam with L2 0.5: the decay is normalised away in the first step (still 0.9)
    assertSteps(of(OptimizerType.ADAM, 0.1).withWeightDecay(0.5), 0.9, 0.8004122284876837);
    // adamw with 0.5: w = 1 - 0.1 (1 + 0.5 * 1) = 0.85
    assertSteps(of(OptimizerType.ADAMW, 0.1).withWeightDecay(0.5), 0.85, 0.7082484433597452);
    // Slots without decay (biases) ignore lambda.
    assertEquals(0.8, twoSteps(of(OptimizerType.SGD, 0.1).withWeightDecay(0.5), false)[0], 1e-7);
  }

  @ParameterizedTest
  @EnumSource(OptimizerType.class)
  void reducesAConvexQuadratic(OptimizerType type) {
    // f(w) = 1/2 sum a_i (w_i - c_i)^2 over 37 parameters, a_i in [0.5, 2]; 300 steps at the default rate x 10
    // (x 1 for adadelta, whose effective step starts at sqrt(eps)).
    int n = 37;
    SplittableRandom rnd = new SplittableRandom(type.ordinal());
    double[] a = new double[n];
    double[] c = new double[n];
    ParameterStore ps = store(n, true);
    float[] w = ps.values();
    float[] g = ps.gradients();
    for (int i = 0; i < n; i++) {
      a[i] = 0.5 + 1.5 * rnd.nextDouble();
      c[i] = 2 * rnd.nextDouble() - 1;
      w[i] = (float) (2 * rnd.nextDouble() - 1);
    }
    TrainingSpec spec = TrainingSpec.defaults().withOptimizer(type);
    double lr = type == OptimizerType.ADADELTA ? spec.learningRate() : 10 * spec.learningRate();
    Optimizer opt = Optimizer.create(spec, w, g, ps.slots());
    double initial = f(a, c, w);
    for (int step = 0; step < 300; step++) {
      for (int i = 0; i < n; i++) {
        g[i] = (float) (a[i] * (w[i] - c[i]));
      }
      opt.step(lr);
    }
    double last = f(a, c, w);
    double required = type == OptimizerType.ADADELTA ? 0.5 : 0.01;
    assertTrue(last < required * initial, type + ": loss " + initial + " -> " + last);
  }

  private static double f(double[] a, double[] c, float[] w) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += 0.5 * a[i] * (w[i] - c[i]) * (w[i] - c[i]);
    }
    return s;
  }
}
