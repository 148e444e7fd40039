package dev.strata.trainer.meanfield;

import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.CellBlock;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.WeightInit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mean-field theory of signal propagation through a deep random dense chain (Poole et al. 2016,
 * Schoenholz et al. 2017) for every {@link Activation}. Weights are N(0, sigma_w^2 / n_in), biases
 * N(0, sigma_b^2), and h_l is a pre-activation of layer l, z ~ N(0, 1):
 *
 * <pre>
 *   variance map     q_{l+1} = sigma_w^2 E[phi(sqrt(q_l) z)^2] + sigma_b^2
 *   fixed point      q* = lim q_l  (iterated from q_0 = 1; infinite when q_l grows without bound)
 *   slope            chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]
 *   depth scale      xi = 1 / |ln chi_1|   (infinite at chi_1 = 1)
 *   residual layer   q_{l+1} = q_l + sigma_w^2 E[phi(sqrt(q_l) z)^2] + sigma_b^2  (additive, no fixed point)
 * </pre>
 *
 * chi_1 &lt; 1 is the ordered phase (nearby inputs converge, gradients vanish like chi_1^L),
 * chi_1 &gt; 1 the chaotic phase (they decorrelate, gradients explode), chi_1 = 1 the critical
 * line. For relu, chi_1 = sigma_w^2 / 2 at any q. Expectations come from {@link
 * GaussianQuadrature}; phi and phi' are the trainer's activations (the kernels' formulas) in double
 * precision.
 *
 * <p>Stateless and thread-safe (the critical-sigma cache is concurrent).
 */
public final class MeanField {

  /** Above this the variance is taken to grow without bound (no finite fixed point). */
  static final double UNBOUNDED = 1e8;
  private static final int MAX_ITERATIONS = 500;
  /**
   * Below this an iterate of a map with the fixed point q = 0 (sigma_b = 0, phi(0) = 0) is on its
   * way there: a positive fixed point that small would need sigma_w^2 within 1e-100 of the critical
   * value, which a double cannot hold.
   */
  private static final double VANISHING = 1e-100;
  private static final Map<String, Double> CRITICAL = new ConcurrentHashMap<>();

  private MeanField() {}

  /** phi(x), as {@link Activation} documents it. */
  public static double phi(Activation a, double x) {
    return switch (a) {
      case RELU -> x > 0 ? x : 0;
      case LEAKY_RELU -> x > 0 ? x : Activation.LEAKY_SLOPE * x;
      case ELU -> x > 0 ? x : Math.expm1(x);
      case GELU -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case TANH -> Math.tanh(x);
      case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      case LINEAR -> x;
    };
  }

  /** phi'(x). */
  public static double derivative(Activation a, double x) {
    return switch (a) {
      case RELU -> x > 0 ? 1 : 0;
      case LEAKY_RELU -> x > 0 ? 1 : Activation.LEAKY_SLOPE;
      case ELU -> x > 0 ? 1 : Math.exp(x);
      case GELU -> {
        double c = Math.sqrt(2 / Math.PI);
        double t = Math.tanh(c * (x + 0.044715 * x * x * x));
        yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
      }
      case SIGMOID -> {
        double s = 1 / (1 + Math.exp(-x));
        yield s * (1 - s);
      }
      case TANH -> {
        double t = Math.tanh(x);
        yield 1 - t * t;
      }
      case SOFTPLUS -> 1 / (1 + Math.exp(-x));
      case LINEAR -> 1;
    };
  }

  /** The largest value of |phi'| (1 for all but sigmoid, 1/4; gelu's 1.13 rounded to 1.13). */
  public static double maxDerivative(Activation a) {
    return switch (a) {
      case SIGMOID -> 0.25;
      case GELU -> 1.13;
      default -> 1;
    };
  }

  /** E[phi(sqrt(q) z)^2]. */
  public static double meanSquare(Activation a, double q) {
    return GaussianQuadrature.expect(x -> {
      double y = phi(a, x);
      return y * y;
    }, q);
  }

  /** E[phi(sqrt(q) z)]. */
  public static double mean(Activation a, double q) {
    return GaussianQuadrature.expect(x -> phi(a, x), q);
  }

  /**
   * {E[phi(h)], E[phi(h)^2]} for h ~ N(mu, v) (a pre-activation with a mean, such as a ReLU's
   * non-negative output plus a zero-mean branch), by quadrature around the mean; at mu = 0 the
   * second is {@link #meanSquare}'s value bit for bit.
   */
  public static double[] moments(Activation a, double mu, double v) {
    double mean = GaussianQuadrature.expect(x -> phi(a, mu + x), v);
    double square = GaussianQuadrature.expect(x -> {
      double y = phi(a, mu + x);
      return y * y;
    }, v);
    return new double[] {mean, square};
  }

  /**
   * E[phi(u) phi(v)] for (u, v) jointly Gaussian with mean mu each, variance v and covariance c
   * (the 2-D rule of {@link GaussianQuadrature}): the off-diagonal moment after an activation. For
   * relu at mu = 0 the arc-cosine kernel q / (2 pi) (sin t + (pi - t) cos t), cos t = c / v.
   */
  public static double crossMoment(Activation a, double mu, double v, double c) {
    if (a == Activation.LINEAR) {
      return c + mu * mu;
    }
    return GaussianQuadrature.expectProduct(x -> phi(a, mu + x), x -> phi(a, mu + x), v, c);
  }

  /**
   * The moments after activation {@code a} of a pre-activation with moments {@code pre}, (u, v)
   * taken as jointly Gaussian with mean mu, variance m - mu^2 and covariance m_off - mu^2: {E[phi(u)],
   * E[phi(u)^2], E[phi(u) phi(v)]}. Linear returns {@code pre}.
   */
  public static Moments activate(Activation a, Moments pre) {
    if (a == Activation.LINEAR) {
      return pre;
    }
    double[] m = moments(a, pre.mean(), pre.variance());
    return new Moments(m[0], m[1], crossMoment(a, pre.mean(), pre.variance(), pre.covariance()));
  }

  /** E[phi'(sqrt(q) z)^2]. */
  public static double meanSquareDerivative(Activation a, double q) {
    return GaussianQuadrature.expect(x -> {
      double d = derivative(a, x);
      return d * d;
    }, q);
  }

  /** One step of the variance map: sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2. */
  public static double varianceMap(Activation a, double sw2, double sb2, double q) {
    return sw2 * meanSquare(a, q) + sb2;
  }

  /** sigma_w^2 E[phi'(sqrt(q) z)^2]: the per-layer gradient (and perturbation) growth at variance q. */
  public static double chi(Activation a, double sw2, double q) {
    return sw2 * meanSquareDerivative(a, q);
  }

  /** 1 / |ln chi|; infinite at chi = 1. */
  public static double depthScale(double chi) {
    double l = Math.abs(Math.log(chi));
    return l == 0 ? Double.POSITIVE_INFINITY : 1 / l;
  }

  /**
   * The fixed point of the variance map and its slope.
   *
   * @param q q*, or +infinity when the variance grows without bound (e.g. relu with sigma_w^2 >= 2
   *     and sigma_b &gt; 0)
   * @param chi1 chi_1 at q* (at the last iterate when unbounded)
   */
  public record FixedPoint(double sw2, double sb2, double q, double chi1) {

    /** 1 / |ln chi_1|. */
    public double depthScale() {
      return MeanField.depthScale(chi1);
    }

    public boolean bounded() {
      return Double.isFinite(q);
    }
  }

  /**
   * Iterates the variance map from q = 1 with Steffensen acceleration until it moves less than
   * 1e-12 relative (at most 500 accelerated steps). Without biases and with phi(0) = 0 (relu at
   * sigma_w^2 &lt; 2, tanh at sigma_w^2 &lt;= 1) q = 0 is a fixed point; when the iteration heads there
   * q* is exactly 0 (not the 1e-163 where the iterates stop) and chi_1 the limit q -&gt; 0+ ({@link
   * GaussianQuadrature}), relu's sigma_w^2 / 2.
   */
  public static FixedPoint fixedPoint(Activation a, double sw2, double sb2) {
    check(sw2, sb2);
    double q = 1;
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      double q1 = varianceMap(a, sw2, sb2, q);
      double q2 = q1 > UNBOUNDED ? q1 : varianceMap(a, sw2, sb2, q1);
      if (q2 > UNBOUNDED) {
        return new FixedPoint(sw2, sb2, Double.POSITIVE_INFINITY, chi(a, sw2, q2));
      }
      // Steffensen (Aitken) step, kept only when it lands on a non-negative variance
      double den = q2 - 2 * q1 + q;
      double next = q2;
      if (den != 0) {
        double acc = q - (q1 - q) * (q1 - q) / den;
        if (acc >= 0 && Double.isFinite(acc)) {
          next = acc;
        }
      }
      boolean done = Math.abs(next - q) <= 1e-12 * Math.max(q, 1e-300) || next < 1e-300;
      q = next;
      if (done) {
        break;
      }
    }
    if (sb2 == 0 && phi(a, 0) == 0 && q < VANISHING) {
      q = 0; // q = 0 is a fixed point and the iteration heads there: the limit is exactly 0
    }
    return new FixedPoint(sw2, sb2, q, chi(a, sw2, q));
  }

  /**
   * The sigma_w^2 with chi_1 = 1 at the fixed point for {@code sb2}: the order-to-chaos boundary.
   * Solved by bisection on ln sigma_w^2 in [1e-2, 1e3] to 1e-9 relative; cached per activation and
   * sigma_b^2. Relu gives 2 (He), linear 1, tanh 1 at sigma_b = 0 and 1.76 at sigma_b^2 = 0.05.
   *
   * @throws IllegalArgumentException if chi_1 does not cross 1 in that range, or jumps over 1
   *     (gelu, whose fixed point changes branch)
   */
  public static double criticalSigmaW2(Activation a, double sb2) {
    check(1, sb2);
    return CRITICAL.computeIfAbsent(a + "/" + sb2, k -> solveCritical(a, sb2));
  }

  private static double solveCritical(Activation a, double sb2) {
    double lo = Math.log(1e-2);
    double hi = Math.log(1e3);
    double flo = Math.log(fixedPoint(a, Math.exp(lo), sb2).chi1());
    double fhi = Math.log(fixedPoint(a, Math.exp(hi), sb2).chi1());
    if (!(flo < 0 && fhi > 0)) {
      throw new IllegalArgumentException("no critical sigma_w for " + a + " at sigma_b^2 = " + sb2
          + ": chi_1 does not cross 1 for sigma_w^2 in [0.01, 1000]");
    }
    while (hi - lo > 1e-9) {
      double mid = 0.5 * (lo + hi);
      double f = Math.log(fixedPoint(a, Math.exp(mid), sb2).chi1());
      if (f < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double sw2 = Math.exp(0.5 * (lo + hi));
    double chi1 = fixedPoint(a, sw2, sb2).chi1();
    if (Math.abs(chi1 - 1) > 1e-4) {
      throw new IllegalArgumentException("no critical sigma_w for " + a + " at sigma_b^2 = " + sb2
          + ": chi_1 jumps from below 1 to above 1 at sigma_w^2 = " + String.format("%.4f", sw2)
          + " (the fixed point changes branch); pick sigma_w with a gaussian init instead");
    }
    return sw2;
  }

  /**
   * The effective sigma_w^2 = n_in Var(w) of a weight initialiser on a layer with these fans (what
   * the mean-field recursion sees). {@link WeightInit.Critical} is resolved by the caller first.
   */
  public static double sigmaW2(WeightInit init, int fanIn, int fanOut) {
    return switch (init) {
      case WeightInit.Gaussian g -> g.fanInScaled() ? g.sigma() * g.sigma() : fanIn * g.sigma() * g.sigma();
      case WeightInit.Uniform u -> fanIn * u.limit() * u.limit() / 3;
      case WeightInit.GlorotUniform x -> 2.0 * fanIn / (fanIn + fanOut);
      case WeightInit.GlorotNormal x -> 2.0 * fanIn / (fanIn + fanOut);
      case WeightInit.HeUniform x -> 2;
      case WeightInit.HeNormal x -> 2;
      case WeightInit.Sparse s -> {
        int nnz = (int) Math.max(1, Math.min(fanIn, Math.round(s.fraction() * fanIn)));
        double sigma = s.sigma() > 0 ? s.sigma() : 1 / Math.sqrt(nnz);
        yield nnz * sigma * sigma;
      }
      case WeightInit.Critical c -> throw new IllegalArgumentException("resolve a critical init with resolve(...) first");
    };
  }

  /**
   * The concrete initialiser for {@code init}: a {@link WeightInit.Critical} becomes N(0,
   * sigma_w^2 / n_in) with sigma_w^2 = {@link #criticalSigmaW2} for its activation (or {@code
   * networkActivation} when it names none) and sigma_b = {@code biasSigma}; others are returned as is.
   */
  public static WeightInit resolve(WeightInit init, Activation networkActivation, double biasSigma) {
    if (init instanceof WeightInit.Critical c) {
      Activation a = c.activation() != null ? c.activation() : networkActivation;
      return WeightInit.meanField(Math.sqrt(criticalSigmaW2(a, biasSigma * biasSigma)));
    }
    return init;
  }

  /**
   * The activation of a spec's first block that has one (pooling has none), or linear without such
   * a block.
   */
  public static Activation hiddenActivation(NetworkSpec spec) {
    for (BlockSpec b : spec.blocks()) {
      Activation a = switch (b) {
        case PlainBlock p -> p.activation();
        case ResidualBlock r -> r.activation();
        case InceptionBlock c -> c.branches().getFirst().activation();
        case ConvBlock c -> c.activation();
        case ConvResidualBlock c -> c.activation();
        case ConvInceptionBlock c -> c.activation();
        case PoolBlock p -> null;
        case CellBlock c -> c.activation();
      };
      if (a != null) {
        return a;
      }
    }
    return Activation.LINEAR;
  }

  private static void check(double sw2, double sb2) {
    if (!(sw2 > 0) || !(sb2 >= 0) || Double.isInfinite(sw2) || Double.isInfinite(sb2)) {
      throw new IllegalArgumentException("need sigma_w^2 > 0 and sigma_b^2 >= 0, got " + sw2 + " and " + sb2);
    }
  }
}
