package dev.strata.search.strategy;

import dev.strata.search.space.Dimension;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011), multivariate by default (as
 * Optuna 5's default sampler), univariate with {@code multivariate: false}.
 *
 * <p>While fewer than {@code startup} trials are told (default 10), proposals are uniformly
 * random. Then the told trials are ranked by loss (failures imputed as worst, ties by index) and
 * split: the best {@code min(ceil(gamma·n), 25)} form the "good" set, the rest the "bad" set
 * ({@code gamma} default 0.1). With {@code constantLiar} (default), pending trials join the bad
 * set, which steers parallel workers apart: on NAS-Bench-Macro with 2 trials in flight, 9 of 10
 * seeds find the best row with it and 6 of 10 without (4 in flight: 9 and 5); one at a time it
 * changes nothing. From the two sets come two densities, {@code l} (good) and
 * {@code g} (bad); {@code candidates} points (default 24) are drawn from {@code l} and the one
 * with the largest {@code ln l(x) − ln g(x)} (the expected-improvement criterion of TPE) is
 * proposed.
 *
 * <p><b>Multivariate</b> (default): {@code l} and {@code g} are {@link JointParzen} mixtures over
 * whole vectors, one component per trial, so a candidate is a perturbed copy of one good trial
 * and is scored on all its active dimensions at once. The best candidate whose configuration was
 * not proposed before is taken; only when all draws are duplicates is the best duplicate returned
 * (and {@link AbstractStrategy} asks again). This is what makes TPE work on all-categorical
 * spaces: the univariate argmax of {@code l/g} per categorical is nearly the same vector on every
 * ask once a good set exists, so almost every ask was a duplicate and ended as a uniform random
 * fallback (on NAS-Bench-Macro, 831 of 900 asks in issue 21's measurement; median regret 0.128
 * at 100 trials over 10 seeds, against 0.000 multivariate).
 *
 * <p><b>Univariate</b> ({@code multivariate: false}, the sampler before issue 21): each dimension
 * is chosen independently, using only the trials in which it is active (conditional dimensions,
 * repeat slots):
 *
 * <ul>
 *   <li>numeric (in unit space, so log scales are handled in the logarithm): {@code l} and {@code
 *       g} are mixtures of Gaussians truncated to [0, 1], one per observation plus a prior
 *       component (mean ½, width 1, weight {@code priorWeight}), equal weights. A component's
 *       bandwidth is the larger gap to its neighbours among the sorted means (prior included, with
 *       0 and 1 as the outer neighbours: Optuna's {@code consider_endpoints=True}), clipped to
 *       {@code [1/min(100, n + 2), 1]} for {@code n} observations (Optuna's magic clip);
 *   <li>categorical: {@code l(k) ∝ count(k) + priorWeight/K} and likewise {@code g}.
 * </ul>
 *
 * Per dimension, the draw with the largest {@code ln l − ln g} is kept. For numeric dimensions the
 * score, as Optuna before 3.5 computes it (its truncated-normal log density lacks the {@code −ln
 * σ} term, optuna/optuna#5109), weighs each component of {@code l} and {@code g} by {@code
 * weight·σ} instead of {@code weight}: wide components (the prior, the sparse good set) count for
 * more, which pulls {@code g} towards the prior; sampling from {@code l} uses the true mixture.
 * Integer grids are snapped by the space when the vector is decoded.
 *
 * <p>Options: {@code startup}, {@code candidates}, {@code gamma}, {@code priorWeight} (1.0),
 * {@code constantLiar} (true), {@code multivariate} (true). Deterministic for a seed; not
 * thread-safe.
 */
public final class TpeStrategy extends AbstractStrategy {

  public static final String NAME = "tpe";

  private static final int GOOD_CAP = 25;

  private final int startup;
  private final int candidates;
  private final double gamma;
  private final double priorWeight;
  private final boolean constantLiar;
  private final boolean multivariate;

  public TpeStrategy(SearchSpace space, Direction direction, long seed, int startup, int candidates, double gamma,
      double priorWeight, boolean constantLiar, boolean multivariate) {
    super(NAME, space, direction, seed);
    this.startup = Math.max(1, startup);
    this.candidates = Math.max(1, candidates);
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("tpe: gamma must be in (0, 1], got " + gamma);
    }
    if (!(priorWeight > 0)) {
      throw new IllegalArgumentException("tpe: priorWeight must be > 0, got " + priorWeight);
    }
    this.gamma = gamma;
    this.priorWeight = priorWeight;
    this.constantLiar = constantLiar;
    this.multivariate = multivariate;
  }

  static TpeStrategy create(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
    Options o = Options.of(NAME, options, Set.of("startup", "candidates", "gamma", "priorWeight", "constantLiar",
        "multivariate"));
    return new TpeStrategy(space, direction, seed,
        o.intValue("startup", 10, 1, 1_000_000),
        o.intValue("candidates", 24, 1, 100_000),
        o.doubleValue("gamma", 0.1, 1e-6, 1),
        o.doubleValue("priorWeight", 1.0, 1e-6, 1e6),
        o.booleanValue("constantLiar", true),
        o.booleanValue("multivariate", true));
  }

  @Override
  boolean scalarizesGoals() {
    return true;
  }

  @Override
  Candidate propose(int attempt) {
    if (told.size() < startup || dims.isEmpty()) {
      return new Candidate(uniform(), Map.of("origin", "random"));
    }
    List<Trial> ranked = new ArrayList<>(told);
    double[] loss = new double[trials.size()];
    for (Trial t : ranked) {
      loss[t.index] = loss(t);
    }
    ranked.sort((a, b) -> loss[a.index] != loss[b.index]
        ? Double.compare(loss[a.index], loss[b.index]) : Integer.compare(a.index, b.index));
    int nGood = Math.min((int) Math.ceil(gamma * ranked.size()), GOOD_CAP);
    List<Trial> good = ranked.subList(0, nGood);
    List<Trial> bad = new ArrayList<>(ranked.subList(nGood, ranked.size()));
    if (constantLiar) {
      bad.addAll(pending());
    }
    if (multivariate) {
      return proposeJoint(good, bad);
    }
    double[] unit = new double[dims.size()];
    for (int i = 0; i < dims.size(); i++) {
      unit[i] = sampleDimension(i, good, bad);
    }
    return new Candidate(unit, Map.of("origin", "tpe"));
  }

  /**
   * Multivariate TPE: {@code candidates} whole vectors drawn from the joint {@code l}, the one
   * with the largest {@code ln l(x) − ln g(x)} among those not proposed before; when every draw
   * is a duplicate, the best draw (the caller then asks again).
   */
  private Candidate proposeJoint(List<Trial> good, List<Trial> bad) {
    JointParzen l = new JointParzen(units(good), dims, priorWeight);
    JointParzen g = new JointParzen(units(bad), dims, priorWeight);
    double[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    double[] bestFresh = null;
    double bestFreshScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < candidates; c++) {
      double[] x = l.sample(random);
      Configuration configuration = configurationOf(x);
      boolean fresh = !wasProposed(configuration);
      double[] canonical = space.encode(configuration);
      double s = l.logPdf(canonical) - g.logPdf(canonical);
      if (best == null || s > bestScore) {
        best = x;
        bestScore = s;
      }
      if (fresh && (bestFresh == null || s > bestFreshScore)) {
        bestFresh = x;
        bestFreshScore = s;
      }
    }
    return new Candidate(bestFresh != null ? bestFresh : best, Map.of("origin", "tpe"));
  }

  private static List<double[]> units(List<Trial> set) {
    List<double[]> out = new ArrayList<>(set.size());
    for (Trial t : set) {
      out.add(t.unit);
    }
    return out;
  }

  private double sampleDimension(int i, List<Trial> good, List<Trial> bad) {
    double[] lo = activeValues(i, good);
    double[] hi = activeValues(i, bad);
    Dimension d = dims.get(i);
    if (d.kind() == Dimension.Kind.CATEGORICAL) {
      int k = d.cardinality();
      double[] l = categoricalDensity(lo, k);
      double[] g = categoricalDensity(hi, k);
      int bestChoice = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < candidates; c++) {
        int choice = drawCategory(l);
        double s = Math.log(l[choice]) - Math.log(g[choice]);
        if (s > bestScore) {
          bestScore = s;
          bestChoice = choice;
        }
      }
      return (bestChoice + 0.5) / k;
    }
    Parzen l = new Parzen(lo, priorWeight);
    Parzen g = new Parzen(hi, priorWeight);
    double best = 0.5;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < candidates; c++) {
      double x = l.sample();
      double s = l.logScoreDensity(x) - g.logScoreDensity(x);
      if (s > bestScore) {
        bestScore = s;
        best = x;
      }
    }
    return best;
  }

  private static double[] activeValues(int i, List<Trial> set) {
    double[] out = new double[set.size()];
    int n = 0;
    for (Trial t : set) {
      double u = t.unit[i];
      if (!Double.isNaN(u)) {
        out[n++] = u;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private double[] categoricalDensity(double[] values, int k) {
    double[] p = new double[k];
    Arrays.fill(p, priorWeight / k);
    for (double u : values) {
      p[Math.min((int) Math.floor(u * k), k - 1)] += 1;
    }
    double sum = 0;
    for (double v : p) {
      sum += v;
    }
    for (int c = 0; c < k; c++) {
      p[c] /= sum;
    }
    return p;
  }

  private int drawCategory(double[] p) {
    double u = random.nextDouble();
    double acc = 0;
    for (int c = 0; c < p.length; c++) {
      acc += p[c];
      if (u < acc) {
        return c;
      }
    }
    return p.length - 1;
  }

  /**
   * A mixture of Gaussians truncated to [0, 1]: one component per observation and a prior
   * component (mean ½, width 1), bandwidths from neighbour gaps (see the class comment).
   */
  final class Parzen {
    final double[] mu;
    final double[] sigma;
    final double[] logWeightOverMass;
    final double[] cumulative;

    Parzen(double[] observations, double priorWeight) {
      int n = observations.length;
      double[] sorted = Arrays.copyOf(observations, n + 1);
      sorted[n] = 0.5;
      Arrays.sort(sorted);
      mu = sorted;
      int m = n + 1;
      sigma = new double[m];
      double minSigma = 1.0 / Math.min(100, n + 2);
      boolean priorSeen = false;
      double[] weight = new double[m];
      for (int j = 0; j < m; j++) {
        double left = j > 0 ? mu[j] - mu[j - 1] : mu[j];
        double right = j < m - 1 ? mu[j + 1] - mu[j] : 1 - mu[j];
        double s = Math.max(left, right);
        if (!priorSeen && mu[j] == 0.5) {
          priorSeen = true;
          sigma[j] = 1;
          weight[j] = priorWeight;
        } else {
          sigma[j] = Math.clamp(s, minSigma, 1.0);
          weight[j] = 1;
        }
      }
      double total = 0;
      for (double w : weight) {
        total += w;
      }
      logWeightOverMass = new double[m];
      cumulative = new double[m];
      double acc = 0;
      for (int j = 0; j < m; j++) {
        double mass = LogExpectedImprovement.cdf((1 - mu[j]) / sigma[j]) - LogExpectedImprovement.cdf(-mu[j] / sigma[j]);
        logWeightOverMass[j] = Math.log(weight[j] / total) - Math.log(Math.max(mass, 1e-300)) - Math.log(sigma[j]);
        acc += weight[j] / total;
        cumulative[j] = acc;
      }
    }

    double sample() {
      double u = random.nextDouble();
      int j = 0;
      while (j < cumulative.length - 1 && u >= cumulative[j]) {
        j++;
      }
      for (int tries = 0; tries < 100; tries++) {
        double x = mu[j] + sigma[j] * random.nextGaussian();
        if (x >= 0 && x <= 1) {
          return x;
        }
      }
      return Math.clamp(mu[j], 0.0, 1.0);
    }

    /** The log density of the mixture at {@code x}. */
    double logPdf(double x) {
      return logMixture(x, true);
    }

    /**
     * The log of what Optuna before 3.5 computes as the density in its TPE score: each
     * component's term lacks its {@code 1/σ} factor (optuna/optuna#5109), so components count in
     * proportion to {@code weight·σ}. Not normalised.
     */
    double logScoreDensity(double x) {
      return logMixture(x, false);
    }

    private double logMixture(double x, boolean normalised) {
      double max = Double.NEGATIVE_INFINITY;
      double[] terms = new double[mu.length];
      for (int j = 0; j < mu.length; j++) {
        double z = (x - mu[j]) / sigma[j];
        terms[j] = logWeightOverMass[j] + (normalised ? 0 : Math.log(sigma[j])) - 0.5 * z * z;
        max = Math.max(max, terms[j]);
      }
      double sum = 0;
      for (double t : terms) {
        sum += Math.exp(t - max);
      }
      return max + Math.log(sum) - 0.5 * Math.log(2 * Math.PI);
    }
  }
}
