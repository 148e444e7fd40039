package dev.strata.trainer.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.spec.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Theory against closed forms, and against measured propagation through a random dense chain of
 * width 1000 (tolerances stated per assertion).
 */
class MeanFieldTest {

  @Test
  void quadratureMatchesGaussianMomentsAndClosedForms() {
    assertEquals(1.0, GaussianQuadrature.expect(x -> x * x, 1), 1e-12);
    assertEquals(3 * 2.5 * 2.5, GaussianQuadrature.expect(x -> x * x * x * x, 2.5), 1e-9);
    // E[relu(h)^2] = q/2 exactly; E[1{h>0}] = 1/2 (the kink sits on a panel edge)
    assertEquals(3.5, MeanField.meanSquare(Activation.RELU, 7), 1e-12);
    assertEquals(0.5, MeanField.meanSquareDerivative(Activation.RELU, 7), 1e-12);
    // E[exp(h)] = exp(q/2)
    assertEquals(Math.exp(0.8), GaussianQuadrature.expect(Math::exp, 1.6), 1e-12);
    // a narrow feature at large q: E[sech^2(h)] for q = 1e4 ~ 2 / sqrt(2 pi q) (the integral of sech^2 is 2)
    double narrow = MeanField.meanSquareDerivative(Activation.LINEAR, 1) * 0
        + GaussianQuadrature.expect(x -> 1 / (Math.cosh(x) * Math.cosh(x)), 1e4);
    assertEquals(2 / Math.sqrt(2 * Math.PI * 1e4), narrow, 2e-4 * narrow);
  }

  @Test
  void reluClosedForms() {
    for (double sw2 : new double[] {0.5, 1.0, 1.9}) {
      MeanField.FixedPoint fp = MeanField.fixedPoint(Activation.RELU, sw2, 0.1);
      assertEquals(sw2 / 2, fp.chi1(), 1e-12, "chi_1 = sigma_w^2 / 2");
      assertEquals(0.1 / (1 - sw2 / 2), fp.q(), 1e-8, "q* = sigma_b^2 / (1 - sigma_w^2 / 2)");
    }
    MeanField.FixedPoint chaotic = MeanField.fixedPoint(Activation.RELU, 2.5, 0.1);
    assertFalse(chaotic.bounded(), "relu above sigma_w^2 = 2 has no finite fixed point");
    assertEquals(1.25, chaotic.chi1(), 1e-12);
    assertEquals(2.0, MeanField.criticalSigmaW2(Activation.RELU, 0.05), 1e-7);
    assertEquals(1.0, MeanField.criticalSigmaW2(Activation.LINEAR, 0.0), 1e-7);
    assertEquals(1 / Math.log(2), MeanField.fixedPoint(Activation.RELU, 1, 0).depthScale(), 1e-9);
  }

  /**
   * Variances that underflow towards 0 (the layers on the way to relu's q* = 0 at sigma_w^2 = 1,
   * sigma_b = 0) keep chi_1 = sigma_w^2 / 2: expectations at q -> 0 are the limit, where relu' is 1 on half the mass,
   * not relu'(0) = 0 everywhere, nor a sum that loses digits once h^2 / q leaves double's range.
   */
  @Test
  void chiAtAVanishingVarianceIsTheLimit() {
    for (double q : new double[] {0, Double.MIN_VALUE, 1e-320, 1e-300, 2.8e-163}) {
      assertEquals(1.0, MeanField.chi(Activation.RELU, 2, q), 1e-12, "relu at q = " + q);
      assertEquals((1 + (double) Activation.LEAKY_SLOPE * Activation.LEAKY_SLOPE) / 2,
          MeanField.meanSquareDerivative(Activation.LEAKY_RELU, q), 1e-12, "leaky relu at q = " + q);
      assertEquals(1.0, MeanField.meanSquareDerivative(Activation.TANH, q), 1e-12, "tanh at q = " + q);
      double resolved = Math.max(q, GaussianQuadrature.SMALLEST_VARIANCE); // E[relu(h)^2] = q / 2 down to there
      assertEquals(resolved / 2, MeanField.meanSquare(Activation.RELU, q), 1e-12 * resolved, "relu's output at q = " + q);
    }
    assertEquals(0.3, MeanField.fixedPoint(Activation.RELU, 0.6, 0).chi1(), 1e-12);
  }

  /**
   * Without biases and with phi(0) = 0, q = 0 is a fixed point, and where the iteration heads
   * there q* is exactly 0 (it stopped at 2.8e-163 for relu at sigma_w^2 = 1), chi_1 the q -&gt; 0+
   * limit; sigmoid (phi(0) = 1/2) keeps a positive fixed point, as does tanh above sigma_w^2 = 1.
   */
  @Test
  void aFixedPointThatVanishesIsExactlyZero() {
    MeanField.FixedPoint relu = MeanField.fixedPoint(Activation.RELU, 1, 0);
    assertEquals(0.0, relu.q());
    assertEquals(0.5, relu.chi1(), 1e-12);
    MeanField.FixedPoint tanh = MeanField.fixedPoint(Activation.TANH, 0.5, 0);
    assertEquals(0.0, tanh.q());
    assertEquals(0.5, tanh.chi1(), 1e-12, "tanh'(0)^2 sigma_w^2");
    assertTrue(MeanField.fixedPoint(Activation.SIGMOID, 1, 0).q() > 0.1);
    assertTrue(MeanField.fixedPoint(Activation.TANH, 1.5, 0).q() > 0.1);
    assertTrue(MeanField.fixedPoint(Activation.RELU, 1, 1e-4).q() > 1e-5, "a bias keeps q* above sigma_b^2");
  }

  /**
   * The 2-D rule against closed forms: relu's arc-cosine kernel E[relu(u) relu(v)] = q / (2 pi)
   * (sin t + (pi - t) cos t), cos t = rho, over the whole range of rho (within 2e-5 q: the inner kink,
   * at v = 0, falls inside a panel of the rule; measured worst 1.3e-5 q over rho in steps of 0.05); linear E[u v] = c; E[f(u) g(v)] = E[f] E[g] at rho = 0 and E[f g] at
   * rho = 1; and the moments of a pre-activation with a mean.
   */
  @Test
  void bivariateQuadratureMatchesClosedForms() {
    for (double q : new double[] {0.3, 2.5}) {
      for (double rho : new double[] {-1, -0.9, -0.3, 0, 0.2, 0.7, 0.99, 1}) {
        double t = Math.acos(rho);
        double arc = q / (2 * Math.PI) * (Math.sin(t) + (Math.PI - t) * Math.cos(t));
        assertEquals(arc, MeanField.crossMoment(Activation.RELU, 0, q, rho * q), 2e-5 * q, "relu q = " + q + " rho = " + rho);
        assertEquals(rho * q, GaussianQuadrature.expectProduct(x -> x, x -> x, q, rho * q), 1e-12 * q, "linear");
      }
      double m = MeanField.mean(Activation.TANH, q);
      assertEquals(MeanField.meanSquare(Activation.TANH, q), MeanField.crossMoment(Activation.TANH, 0, q, q), 1e-12);
      assertEquals(0, MeanField.crossMoment(Activation.TANH, 0, q, 0), 1e-14, "tanh is odd");
      double sig = MeanField.moments(Activation.SIGMOID, 0.4, q)[0];
      assertEquals(sig * sig, MeanField.crossMoment(Activation.SIGMOID, 0.4, q, 0), 1e-12, "independent: E[phi]^2");
      assertEquals(0, m, 1e-14);
    }
    // moments after an activation: linear passes them on, batch norm's output through relu has
    // mean 1 / sqrt(2 pi), m = 1/2 and m_off = mean^2 (the offset it removed is gone)
    Moments pre = new Moments(0.3, 1.2, 0.5);
    assertEquals(pre, MeanField.activate(Activation.LINEAR, pre));
    Moments relu = MeanField.activate(Activation.RELU, Moments.NORMALISED);
    assertEquals(1 / Math.sqrt(2 * Math.PI), relu.mean(), 1e-12);
    assertEquals(0.5, relu.square(), 1e-12);
    assertEquals(1 / (2 * Math.PI), relu.cross(), 1e-9);
  }

  /** Sums of independent streams add means and (co)variances; average pooling mixes m into m_off. */
  @Test
  void momentsAddAndPool() {
    Moments a = new Moments(0.5, 1.0, 0.4);
    Moments b = Moments.preActivation(2.0, 0.3);
    Moments sum = a.plus(b);
    assertEquals(0.5, sum.mean(), 0);
    assertEquals(3.0, sum.square(), 1e-15);
    assertEquals(0.7, sum.cross(), 1e-15);
    // 2x2 windows, no overlap: m' = m_off + (m - m_off) / 4, m_off unchanged
    Moments p = a.pooled(0.25, 0);
    assertEquals(0.4 + 0.6 / 4, p.square(), 1e-15);
    assertEquals(0.4, p.cross(), 1e-15);
    assertEquals(0.5, p.mean(), 0);
    Moments c = Moments.concat(java.util.List.of(a, b), new int[] {1, 3});
    assertEquals(0.125, c.mean(), 1e-15);
    assertEquals(1.75, c.square(), 1e-15);
  }

  @Test
  void tanhCriticalLineMatchesThePublishedValues() {
    // Schoenholz et al. 2017 (fig. 1): sigma_b^2 = 0.05 puts the critical sigma_w^2 at about 1.76
    double sw2 = MeanField.criticalSigmaW2(Activation.TANH, 0.05);
    assertEquals(1.76, sw2, 0.02);
    assertEquals(1.0, MeanField.fixedPoint(Activation.TANH, sw2, 0.05).chi1(), 1e-6);
    assertEquals(1.0, MeanField.criticalSigmaW2(Activation.TANH, 0), 1e-3, "sigma_b = 0: the line starts at sigma_w = 1");
    assertTrue(MeanField.fixedPoint(Activation.TANH, 0.5, 0.05).chi1() < 0.6, "ordered");
    assertTrue(MeanField.fixedPoint(Activation.TANH, 4, 0.05).chi1() > 1.1, "chaotic");
  }

  @Test
  void everyActivationHasAFixedPointAndACriticalLine() {
    for (Activation a : Activation.values()) {
      if (a == Activation.GELU) {
        // gelu's fixed point jumps between branches as sigma_w^2 crosses about 2.07: chi_1 never equals 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MeanField.criticalSigmaW2(a, 0.01));
        assertTrue(e.getMessage().contains("jumps"), e.getMessage());
        continue;
      }
      double sw2 = MeanField.criticalSigmaW2(a, 0.01);
      MeanField.FixedPoint fp = MeanField.fixedPoint(a, sw2, 0.01);
      System.out.printf("%s: critical sigma_w^2 = %.4f at sigma_b^2 = 0.01, q* = %.4g%n", a, sw2, fp.q());
      assertEquals(1.0, fp.chi1(), 1e-5, a + " at sigma_w^2 = " + sw2);
      assertTrue(MeanField.fixedPoint(a, sw2 * 0.8, 0.01).chi1() < 1, a + " below the line is ordered");
    }
  }

  /**
   * Pushes 20 inputs through 6 random layers of width 1000 and compares the measured pre-activation
   * second moment of every layer with the variance map. One weight draw averages 1000 units per
   * layer (rows are correlated), a relative spread of about sqrt(2 / 1000) = 4.5% per layer (fixed
   * seed): one step of the map from the measured previous layer must agree within 15% (about 3
   * sigma), the map iterated from q_0 = 1 within 25% after up to six layers (the errors add up).
   */
  @Test
  void measuredPropagationAtWidth1000FollowsTheVarianceMap() {
    int width = 1000;
    int rows = 20;
    double sw2 = 1.5;
    double sb2 = 0.1;
    for (Activation a : new Activation[] {Activation.TANH, Activation.RELU}) {
      SplittableRandom rng = new SplittableRandom(7);
      double[] x = new double[rows * width];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextGaussian(); // q_0 = 1 entering the first layer's activation below
      }
      double q = 1;
      double[] h = x;
      for (int l = 0; l < 6; l++) {
        double[] y = new double[rows * width];
        for (int i = 0; i < h.length; i++) {
          y[i] = MeanField.phi(a, h[i]);
        }
        double[][] w = new double[width][width];
        for (double[] row : w) {
          for (int j = 0; j < width; j++) {
            row[j] = rng.nextGaussian() * Math.sqrt(sw2 / width);
          }
        }
        double[] b = new double[width];
        for (int j = 0; j < width; j++) {
          b[j] = rng.nextGaussian() * Math.sqrt(sb2);
        }
        double[] next = new double[rows * width];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
          for (int k = 0; k < width; k++) {
            double v = y[r * width + k];
            double[] wk = w[k];
            for (int j = 0; j < width; j++) {
              next[r * width + j] += v * wk[j];
            }
          }
          for (int j = 0; j < width; j++) {
            next[r * width + j] += b[j];
            sum += next[r * width + j] * next[r * width + j];
          }
        }
        double previous = 0;
        for (double v : h) {
          previous += v * v;
        }
        previous /= h.length;
        h = next;
        q = MeanField.varianceMap(a, sw2, sb2, q);
        double oneStep = MeanField.varianceMap(a, sw2, sb2, previous);
        double measured = sum / (rows * width);
        assertEquals(oneStep, measured, 0.15 * oneStep, a + " layer " + l + ", one step");
        assertEquals(q, measured, 0.25 * q, a + " layer " + l + ", from q_0");
      }
    }
  }
}
