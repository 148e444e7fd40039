package dev.strata.search.strategy;

import dev.strata.search.space.Dimension;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The joint Parzen estimator of multivariate TPE: a mixture over whole unit vectors with one
 * component per observed trial and one prior component, each component a product of
 * one-dimensional kernels. Unlike the univariate estimator it keeps the dimensions of one trial
 * together, so a draw resembles one good trial as a whole, and the density of a candidate scores
 * all its dimensions at once.
 *
 * <p>Components (weights: 1 per observation, {@code priorWeight} for the prior):
 *
 * <ul>
 *   <li>numeric dimension: a Gaussian truncated to [0, 1] centred at the observed unit value;
 *       its width is the univariate estimator's, per dimension: the larger gap to the
 *       neighbouring observed values (the prior mean ½ included, 0 and 1 as the outer
 *       neighbours), clipped to {@code [1/min(100, m + 2), 1]} for {@code m} observations active
 *       in the dimension. The prior component has mean ½ and width 1. (A single Scott-rule width
 *       {@code 0.2·n^(−1/(d+4))} for all components was tried: median regret at 100 trials on
 *       branin 0.086 against 0.040 with gaps, mixed 0.50 against 0.25, hartmann6 level.)
 *   <li>categorical dimension of {@code K} choices: the observed choice {@code c} has probability
 *       {@code (1 + a/K)/(1 + a)}, every other choice {@code (a/K)/(1 + a)}, with {@code a =
 *       priorWeight}; the prior component is uniform;
 *   <li>a dimension inactive in an observation (a conditional parameter, an unused repeat slot)
 *       takes the prior kernel in that component.
 * </ul>
 *
 * {@link #logPdf(double[])} skips the NaN (inactive) coordinates of the point it scores, so two
 * estimators compare a candidate on the dimensions it actually has.
 *
 * <p>Immutable after construction except for the generator it samples with; not thread-safe.
 */
final class JointParzen {

  private final List<Dimension> dims;
  /** Observations (canonical unit vectors, NaN where inactive); the prior component is last. */
  private final double[][] centres;
  private final double[] logWeight;
  private final double[] cumulative;
  private final double[] sigma;
  private final double[] logMassAtCentre;
  /** {@code ln(1/(1 + a))}: the chance that a categorical kernel keeps its centre outright. */
  private final double logKeep;
  private final double[] logOther;
  private final double[] logObserved;
  private final double priorLogMass;

  JointParzen(List<double[]> observations, List<Dimension> dims, double priorWeight) {
    this.dims = dims;
    int n = observations.size();
    int d = dims.size();
    centres = observations.toArray(new double[0][]);
    double total = n + priorWeight;
    logWeight = new double[n + 1];
    cumulative = new double[n + 1];
    double acc = 0;
    for (int j = 0; j <= n; j++) {
      double w = (j < n ? 1 : priorWeight) / total;
      logWeight[j] = Math.log(w);
      acc += w;
      cumulative[j] = acc;
    }
    cumulative[n] = 1.0;
    sigma = new double[n * d];
    logMassAtCentre = new double[n * d];
    for (int i = 0; i < d; i++) {
      if (dims.get(i).kind() == Dimension.Kind.CATEGORICAL) {
        continue;
      }
      double[] gap = gaps(i);
      for (int j = 0; j < n; j++) {
        double mu = centres[j][i];
        sigma[j * d + i] = gap[j];
        logMassAtCentre[j * d + i] = Double.isNaN(mu) ? 0 : logMass(mu, gap[j]);
      }
    }
    priorLogMass = logMass(0.5, 1.0);
    logKeep = -Math.log1p(priorWeight);
    logOther = new double[d];
    logObserved = new double[d];
    for (int i = 0; i < d; i++) {
      int k = dims.get(i).cardinality();
      logOther[i] = Math.log(priorWeight / k) - Math.log1p(priorWeight);
      logObserved[i] = Math.log(1 + priorWeight / k) - Math.log1p(priorWeight);
    }
  }

  /**
   * Per observation, the univariate rule in dimension {@code i}: the larger gap to its neighbours
   * among the active values (the prior mean ½ included, 0 and 1 as outer neighbours), clipped to
   * {@code [1/min(100, m + 2), 1]} for {@code m} active values.
   */
  private double[] gaps(int i) {
    int n = centres.length;
    int m = 0;
    for (double[] c : centres) {
      if (!Double.isNaN(c[i])) {
        m++;
      }
    }
    double[] sorted = new double[m + 1];
    int k = 0;
    for (double[] c : centres) {
      if (!Double.isNaN(c[i])) {
        sorted[k++] = c[i];
      }
    }
    sorted[m] = 0.5;
    java.util.Arrays.sort(sorted);
    double floor = 1.0 / Math.min(100, m + 2);
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      double mu = centres[j][i];
      if (Double.isNaN(mu)) {
        continue;
      }
      int at = java.util.Arrays.binarySearch(sorted, mu);
      double left = at > 0 ? mu - sorted[at - 1] : mu;
      double right = at < m ? sorted[at + 1] - mu : 1 - mu;
      out[j] = Math.clamp(Math.max(left, right), floor, 1.0);
    }
    return out;
  }

  /** A draw: pick a component by weight, then each coordinate from that component's kernel. */
  double[] sample(SplittableRandom random) {
    double u = random.nextDouble();
    int j = 0;
    while (j < cumulative.length - 1 && u >= cumulative[j]) {
      j++;
    }
    boolean prior = j == centres.length;
    double[] x = new double[dims.size()];
    for (int i = 0; i < x.length; i++) {
      double mu = prior ? Double.NaN : centres[j][i];
      Dimension dim = dims.get(i);
      if (dim.kind() == Dimension.Kind.CATEGORICAL) {
        int k = dim.cardinality();
        int c;
        if (Double.isNaN(mu)) {
          c = random.nextInt(k);
        } else {
          c = category(mu, k);
          // the kernel keeps c with probability (1 + a/K)/(1 + a); otherwise uniform over all K
          if (random.nextDouble() >= Math.exp(logKeep)) {
            c = random.nextInt(k);
          }
        }
        x[i] = (c + 0.5) / k;
      } else {
        x[i] = Double.isNaN(mu) ? truncatedNormal(random, 0.5, 1.0) : truncatedNormal(random, mu, sigma[j * x.length + i]);
      }
    }
    return x;
  }

  /** The width of component {@code j} in numeric dimension {@code i} (0 where inactive). */
  double sigma(int j, int i) {
    return sigma[j * dims.size() + i];
  }

  /** The log density at a canonical unit vector, over its non-NaN coordinates. */
  double logPdf(double[] x) {
    int d = dims.size();
    int m = centres.length + 1;
    double[] terms = new double[m];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      boolean prior = j == centres.length;
      double t = logWeight[j];
      for (int i = 0; i < d; i++) {
        double xi = x[i];
        if (Double.isNaN(xi)) {
          continue;
        }
        double mu = prior ? Double.NaN : centres[j][i];
        Dimension dim = dims.get(i);
        if (dim.kind() == Dimension.Kind.CATEGORICAL) {
          int k = dim.cardinality();
          if (Double.isNaN(mu)) {
            t -= Math.log(k);
          } else {
            t += category(mu, k) == category(xi, k) ? logObserved[i] : logOther[i];
          }
        } else if (Double.isNaN(mu)) {
          t += logNormal(xi, 0.5, 1.0) - priorLogMass;
        } else {
          t += logNormal(xi, mu, sigma[j * d + i]) - logMassAtCentre[j * d + i];
        }
      }
      terms[j] = t;
      max = Math.max(max, t);
    }
    double sum = 0;
    for (double t : terms) {
      sum += Math.exp(t - max);
    }
    return max + Math.log(sum);
  }

  private static int category(double u, int k) {
    return Math.min((int) Math.floor(u * k), k - 1);
  }

  private static double logNormal(double x, double mu, double s) {
    double z = (x - mu) / s;
    return -0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
  }

  /** The log of the mass the Gaussian (mu, s) puts on [0, 1]. */
  private static double logMass(double mu, double s) {
    double mass = LogExpectedImprovement.cdf((1 - mu) / s) - LogExpectedImprovement.cdf(-mu / s);
    return Math.log(Math.max(mass, 1e-300));
  }

  private static double truncatedNormal(SplittableRandom random, double mu, double s) {
    for (int tries = 0; tries < 100; tries++) {
      double x = mu + s * random.nextGaussian();
      if (x >= 0 && x <= 1) {
        return x;
      }
    }
    return Math.clamp(mu, 0.0, 1.0);
  }
}
