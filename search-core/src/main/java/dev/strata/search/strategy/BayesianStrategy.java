package dev.strata.search.strategy;

import dev.strata.search.space.Dimension;
import dev.strata.search.space.OneHotEncoding;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Bayesian optimisation with a Gaussian process and log expected improvement.
 *
 * <p><b>Initial design.</b> The first {@code initial} proposals (default {@code max(5, d + 1)} for
 * {@code d} flat dimensions) are points of a digitally shifted Sobol sequence; so are later ones
 * while fewer than two trials are told or none has a value.
 *
 * <p><b>Model.</b> Inputs are the space's {@link OneHotEncoding} of each trial's canonical unit
 * vector: numeric dimensions as their unit coordinate (log scales linear), categoricals one-hot,
 * inactive (conditional) dimensions set to a constant. Targets are the losses (failures imputed as
 * bad, see {@link AbstractStrategy}) standardised to mean 0 and variance 1. The kernel is a
 * {@link Matern52Kernel} with one lengthscale per input column, a signal variance and a noise
 * variance; these hyperparameters maximise the log marginal likelihood plus log priors, found by
 * {@link Lbfgs} with analytic gradients inside bounds. The priors: {@code ln ℓ ~ N(√2 + ½·ln m,
 * 3)} for {@code m} input columns (the dimension-scaled prior of Hvarfner, Hellsten and Nardi,
 * "Vanilla Bayesian Optimization Performs Great in High Dimensions", ICML 2024: long lengthscales
 * keep the model smooth, so exploration goes to the unexplored interior rather than only to the
 * corners), {@code σ² ~ Gamma(2, 0.15)} and {@code ln σₙ² ~ N(ln 1e−4, 3²)}.
 *
 * <p><b>Cost control.</b> A full fit ({@code restarts} starts: the previous optimum, a default and
 * draws from the prior) runs while fewer than 20 trials are told and then whenever the told count
 * has grown by 15%; in between, a warm-started fit of at most 15 iterations runs every {@code
 * max(1, n/20)} tells, and otherwise new trials are appended to the Cholesky factor in {@code
 * O(n²)}. Fits use at most {@code fitPoints} trials (default 200: the best quarter plus a seeded
 * random sample of the rest). Once more than {@code min(100, fitPoints)} trials are told (the
 * previous optimum is then a good start), a full fit evaluates each of its starts once and runs L-BFGS only from the best of them, which is nearly always the previous optimum.
 * The likelihood's pairwise squared differences are computed once per fit. After a refit the
 * factor of every trial is rebuilt in one {@link Cholesky blocked} pass. Prediction always uses
 * every trial.
 *
 * <p><b>Acquisition.</b> {@link LogExpectedImprovement log EI} over the best observed standardised
 * loss, maximised over {@code candidates} points (default 512; 80% uniform, 20% perturbations of
 * the five best trials, fewer once there are more than 200 trials) followed by a local search from
 * the five best candidates (20 rounds of Gaussian perturbation with an adaptive step; categoricals
 * flip with probability 1/d). Every candidate is snapped to the space (decode and encode) before
 * it is scored, so integer grids and inactive dimensions are seen as the trial will be. The
 * proposal is the highest-scoring candidate whose configuration was not proposed before (on a
 * categorical space the local searches often end on an evaluated configuration; before issue 21
 * the retries then fell back to uniform random vectors, in 475 of 1,000 asks on NAS-Bench-Macro).
 *
 * <p><b>Parallel workers.</b> Pending trials are fantasised before each proposal: with {@code
 * liar = "believer"} (kriging believer, default) each pending trial is added with the posterior
 * mean as its value, which keeps the mean and shrinks the variance around it; {@code "min"},
 * {@code "mean"} or {@code "max"} add the minimum, mean or maximum of the observed standardised
 * losses (constant liar). The fantasies are removed after the proposal.
 *
 * <p>Options: {@code initial}, {@code candidates}, {@code restarts} (3), {@code fitPoints} (200),
 * {@code liar}. Deterministic for a seed; not thread-safe.
 */
public final class BayesianStrategy extends AbstractStrategy {

  public static final String NAME = "bayesian";

  private static final double LN_L_MIN = Math.log(0.01);
  private static final double LN_L_MAX = Math.log(100);
  private static final double LN_SIGNAL_MIN = Math.log(0.05);
  private static final double LN_SIGNAL_MAX = Math.log(50);
  private static final double LN_NOISE_MIN = Math.log(1e-6);
  private static final double LN_NOISE_MAX = Math.log(0.5);
  private static final double PRIOR_L_SD = Math.sqrt(3);
  private static final double PRIOR_SIGNAL_SHAPE = 2;
  private static final double PRIOR_SIGNAL_RATE = 0.15;
  private static final double PRIOR_NOISE_MEAN = Math.log(1e-4);
  private static final double PRIOR_NOISE_SD = 3;
  private static final int LOCAL_STARTS = 5;
  private static final int LOCAL_ROUNDS = 20;
  /** Full fits screen their starts once more than this many trials (or fitPoints) are told. */
  private static final int SCREEN_FROM = 100;

  private final OneHotEncoding encoding;
  private final ScrambledSobol sobol;
  private final int initial;
  private final int candidates;
  private final int restarts;
  private final int fitPoints;
  private final String liar;
  private final int columns;

  private final List<double[]> features = new ArrayList<>();
  private GaussianProcess.Hyper hyper;
  private GaussianProcess gp;
  private int nAtFit;
  private int nextFullFit;
  /** The runners-up of the last acquisition search, for duplicate retries. */
  private List<double[]> runnersUp = List.of();

  public BayesianStrategy(SearchSpace space, Direction direction, long seed, int initial, int candidates,
      int restarts, int fitPoints, String liar) {
    super(NAME, space, direction, seed);
    if (!List.of("believer", "min", "mean", "max").contains(liar)) {
      throw new IllegalArgumentException("bayesian: liar must be believer, min, mean or max, got " + liar);
    }
    this.encoding = OneHotEncoding.of(space);
    this.columns = encoding.size();
    int d = dims.size();
    this.sobol = d >= 1 && d <= ScrambledSobol.MAX_DIMENSIONS ? new ScrambledSobol(d, seed) : null;
    this.initial = Math.max(1, initial);
    this.candidates = Math.max(8, candidates);
    this.restarts = Math.max(1, restarts);
    this.fitPoints = Math.max(10, fitPoints);
    this.liar = liar;
  }

  static BayesianStrategy create(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
    Options o = Options.of(NAME, options, Set.of("initial", "candidates", "restarts", "fitPoints", "liar"));
    int d = space.dimensions().size();
    return new BayesianStrategy(space, direction, seed,
        o.intValue("initial", Math.max(5, d + 1), 1, 100_000),
        o.intValue("candidates", 512, 8, 1_000_000),
        o.intValue("restarts", 3, 1, 100),
        o.intValue("fitPoints", 200, 10, 100_000),
        o.choice("liar", "believer", List.of("believer", "min", "mean", "max")));
  }

  @Override
  boolean scalarizesGoals() {
    return true;
  }

  @Override
  Candidate propose(int attempt) {
    boolean modelReady = trials.size() >= initial && told.size() >= 2 && hasObservations() && columns > 0;
    if (!modelReady) {
      return new Candidate(sobol == null ? uniform() : sobol.next(), Map.of("origin", "sobol"));
    }
    if (attempt > 0) {
      if (attempt - 1 < runnersUp.size()) {
        return new Candidate(runnersUp.get(attempt - 1).clone(), Map.of("origin", "gp"));
      }
      return new Candidate(uniform(), Map.of("origin", "random"));
    }
    return new Candidate(maximiseAcquisition(), Map.of("origin", "gp"));
  }

  @Override
  void accepted(Trial trial, Candidate candidate) {
    features.add(encoding.fromUnit(trial.unit));
  }

  // ---------------------------------------------------------------- model

  /** Brings the GP up to date with every told trial; returns the standardised targets. */
  private double[] updateModel() {
    int n = told.size();
    double[] targets = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      targets[i] = loss(told.get(i));
      mean += targets[i];
    }
    mean /= n;
    double var = 0;
    for (double t : targets) {
      var += (t - mean) * (t - mean);
    }
    double sd = Math.sqrt(var / n);
    if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) {
      sd = 1;
    }
    for (int i = 0; i < n; i++) {
      targets[i] = (targets[i] - mean) / sd;
    }

    GaussianProcess.Hyper previous = hyper;
    if (hyper == null || n >= nextFullFit) {
      hyper = fit(targets, restarts, 60);
      nextFullFit = n < 20 ? n + 1 : (int) Math.ceil(n * 1.15);
      nAtFit = n;
    } else if (n - nAtFit >= Math.max(1, n / 20)) {
      hyper = fit(targets, 1, 15);
      nAtFit = n;
    }
    if (gp == null || hyper != previous) {
      gp = new GaussianProcess(hyper);
    } else {
      gp.truncate(Math.min(gp.size(), n));
    }
    int from = gp.size();
    if (from < n) {
      double[][] xs = new double[n - from][];
      for (int i = from; i < n; i++) {
        xs[i - from] = features.get(told.get(i).index);
      }
      gp.addAll(xs, Arrays.copyOfRange(targets, from, n), n - from);
    }
    gp.setTargets(targets);
    return targets;
  }

  private GaussianProcess.Hyper fit(double[] targets, int starts, int maxIterations) {
    int n = targets.length;
    SplittableRandom fitRandom = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
    int[] subset = fitSubset(targets, fitRandom);
    double[][] xs = new double[subset.length][];
    double[] ys = new double[subset.length];
    for (int i = 0; i < subset.length; i++) {
      xs[i] = features.get(told.get(subset[i]).index);
      ys[i] = targets[subset[i]];
    }
    int p = columns + 2;
    double[] lower = new double[p];
    double[] upper = new double[p];
    for (int d = 0; d < columns; d++) {
      lower[d] = LN_L_MIN;
      upper[d] = LN_L_MAX;
    }
    lower[columns] = LN_SIGNAL_MIN;
    upper[columns] = LN_SIGNAL_MAX;
    lower[columns + 1] = LN_NOISE_MIN;
    upper[columns + 1] = LN_NOISE_MAX;

    List<double[]> startPoints = new ArrayList<>();
    if (hyper != null) {
      startPoints.add(hyper.theta());
    }
    double[] standard = new double[p];
    Arrays.fill(standard, 0, columns, Math.log(0.5 * Math.sqrt(columns)));
    standard[columns] = 0;
    standard[columns + 1] = Math.log(1e-3);
    startPoints.add(standard);
    while (startPoints.size() < starts) {
      double[] t = new double[p];
      for (int d = 0; d < columns; d++) {
        t[d] = Math.clamp(lengthscalePriorMean(columns) + fitRandom.nextGaussian(), LN_L_MIN, LN_L_MAX);
      }
      t[columns] = Math.log(2) + fitRandom.nextGaussian();
      t[columns + 1] = PRIOR_NOISE_MEAN + PRIOR_NOISE_SD * fitRandom.nextGaussian();
      startPoints.add(t);
    }
    if (startPoints.size() > starts) {
      startPoints = startPoints.subList(0, starts);
    }
    GaussianProcess.FitData data = new GaussianProcess.FitData(xs, ys);
    Lbfgs.DifferentiableFunction objective = (theta, grad) -> negativeLogPosterior(data, theta, grad);
    if (hyper != null && n > Math.min(SCREEN_FROM, fitPoints) && startPoints.size() > 1) {
      // warm and on a large subset: screen the starts by one evaluation, optimise the best
      double[] grad = new double[p];
      double[] chosen = null;
      double chosenValue = Double.POSITIVE_INFINITY;
      for (double[] start : startPoints) {
        double[] t = start.clone();
        for (int i = 0; i < p; i++) {
          t[i] = Math.clamp(t[i], lower[i], upper[i]);
        }
        double v = objective.evaluate(t, grad);
        if (chosen == null || v < chosenValue) {
          chosen = start;
          chosenValue = v;
        }
      }
      startPoints = List.of(chosen);
    }
    double[] best = null;
    double bestValue = Double.POSITIVE_INFINITY;
    for (double[] start : startPoints) {
      Lbfgs.Result r = Lbfgs.minimize(objective, start, lower, upper, maxIterations, 1e-6);
      if (r.value() < bestValue) {
        bestValue = r.value();
        best = r.x();
      }
    }
    if (best == null) {
      best = hyper != null ? hyper.theta() : standard;
      for (int i = 0; i < p; i++) {
        best[i] = Math.clamp(best[i], lower[i], upper[i]);
      }
    }
    return new GaussianProcess.Hyper(best);
  }

  private int[] fitSubset(double[] targets, SplittableRandom fitRandom) {
    int n = targets.length;
    if (n <= fitPoints) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : targets[a] != targets[b]
        ? Double.compare(targets[a], targets[b]) : Integer.compare(a, b));
    int best = fitPoints / 4;
    int[] chosen = new int[fitPoints];
    for (int i = 0; i < best; i++) {
      chosen[i] = order[i];
    }
    // a seeded partial shuffle of the rest
    for (int i = best; i < fitPoints; i++) {
      int j = i + fitRandom.nextInt(n - i);
      Integer swap = order[i];
      order[i] = order[j];
      order[j] = swap;
      chosen[i] = order[i];
    }
    Arrays.sort(chosen);
    return chosen;
  }

  /** The mean of the log-normal lengthscale prior for {@code m} input columns: {@code √2 + ½·ln m}. */
  static double lengthscalePriorMean(int m) {
    return Math.sqrt(2) + 0.5 * Math.log(Math.max(1, m));
  }

  /** {@code −(log marginal likelihood + log prior)} and its gradient. */
  static double negativeLogPosterior(double[][] xs, double[] ys, double[] theta, double[] grad) {
    return negativeLogPosterior(new GaussianProcess.FitData(xs, ys), theta, grad);
  }

  /** {@link #negativeLogPosterior(double[][], double[], double[], double[])} on prepared data. */
  static double negativeLogPosterior(GaussianProcess.FitData data, double[] theta, double[] grad) {
    double lml = GaussianProcess.logMarginalLikelihood(data, theta, grad);
    if (!Double.isFinite(lml)) {
      return Double.POSITIVE_INFINITY;
    }
    int m = theta.length - 2;
    double value = lml;
    // ln ℓ ~ N(√2 + ½·ln m, 3) for every lengthscale (Hvarfner et al. 2024)
    double lengthscaleMean = lengthscalePriorMean(m);
    for (int d = 0; d < m; d++) {
      double z = (theta[d] - lengthscaleMean) / PRIOR_L_SD;
      value -= 0.5 * z * z;
      grad[d] -= z / PRIOR_L_SD;
    }
    // Gamma(2, 0.15) on σ², in ln σ² with the Jacobian: a·θ − b·e^θ
    double es = Math.exp(theta[m]);
    value += PRIOR_SIGNAL_SHAPE * theta[m] - PRIOR_SIGNAL_RATE * es;
    grad[m] += PRIOR_SIGNAL_SHAPE - PRIOR_SIGNAL_RATE * es;
    double z = (theta[m + 1] - PRIOR_NOISE_MEAN) / PRIOR_NOISE_SD;
    value -= 0.5 * z * z;
    grad[m + 1] -= z / PRIOR_NOISE_SD;
    for (int d = 0; d < theta.length; d++) {
      grad[d] = -grad[d];
    }
    return -value;
  }

  // ---------------------------------------------------------------- acquisition

  private double[] maximiseAcquisition() {
    double[] targets = updateModel();
    int told = targets.length;
    double best = Double.POSITIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < told; i++) {
      if (this.told.get(i).hasValue()) {
        best = Math.min(best, targets[i]);
      }
      min = Math.min(min, targets[i]);
      max = Math.max(max, targets[i]);
    }
    if (best == Double.POSITIVE_INFINITY) {
      best = min;
    }
    // fantasise pending trials
    for (Trial t : pending()) {
      double[] f = features.get(t.index);
      double y = switch (liar) {
        case "min" -> min;
        case "max" -> max;
        case "mean" -> 0;
        default -> gp.predict(f)[0];
      };
      gp.add(f, y);
    }
    try {
      return search(best, told);
    } finally {
      gp.truncate(told);
    }
  }

  private double[] search(double best, int n) {
    int count = n <= 200 ? candidates : Math.max(candidates / 8, candidates * 200 / n);
    int perturbed = count / 5;
    List<Trial> elite = bestTold(LOCAL_STARTS);
    double[][] raw = new double[count][];
    for (int i = 0; i < count; i++) {
      if (i < count - perturbed || elite.isEmpty()) {
        raw[i] = uniform();
      } else {
        raw[i] = perturb(elite.get(i % elite.size()).raw, 0.1);
      }
    }
    double[] score = score(raw, count, best);

    // local search from the best few
    Integer[] order = ranking(score);
    int starts = Math.min(LOCAL_STARTS, count);
    double[][] current = new double[starts][];
    double[] currentScore = new double[starts];
    double[] sigma = new double[starts];
    for (int s = 0; s < starts; s++) {
      current[s] = raw[order[s]];
      currentScore[s] = score[order[s]];
      sigma[s] = 0.05;
    }
    double[][] trial = new double[starts][];
    for (int round = 0; round < LOCAL_ROUNDS; round++) {
      for (int s = 0; s < starts; s++) {
        trial[s] = perturb(current[s], sigma[s]);
      }
      double[] trialScore = score(trial, starts, best);
      for (int s = 0; s < starts; s++) {
        if (trialScore[s] > currentScore[s]) {
          current[s] = trial[s];
          currentScore[s] = trialScore[s];
          sigma[s] = Math.min(0.2, sigma[s] * 1.5);
        } else {
          sigma[s] = Math.max(1e-3, sigma[s] * 0.7);
        }
      }
    }
    // the final ranking: local optima and all candidates by score (local optima first on ties);
    // the proposal and its runners-up are the best configurations not proposed before
    List<double[]> pool = new ArrayList<>(starts + count);
    double[] poolScore = new double[starts + count];
    for (int s = 0; s < starts; s++) {
      poolScore[pool.size()] = currentScore[s];
      pool.add(current[s]);
    }
    for (int i = 0; i < count; i++) {
      poolScore[pool.size()] = score[i];
      pool.add(raw[i]);
    }
    List<double[]> fresh = new ArrayList<>();
    java.util.Set<Configuration> seen = new java.util.HashSet<>();
    for (int i : ranking(poolScore)) {
      double[] x = pool.get(i).clone();
      Configuration c = configurationOf(x);
      if (seen.add(c) && !wasProposed(c)) {
        fresh.add(x);
        if (fresh.size() > OWN_RETRIES) {
          break;
        }
      }
    }
    if (fresh.isEmpty()) {
      fresh.add(pool.get(ranking(poolScore)[0]).clone());
    }
    runnersUp = List.copyOf(fresh.subList(1, fresh.size()));
    return fresh.getFirst();
  }

  /** Log EI of each point after snapping it to the space. */
  private double[] score(double[][] raw, int count, double best) {
    double[][] x = new double[count][];
    for (int i = 0; i < count; i++) {
      double[] canonical = space.encode(space.decode(raw[i]));
      x[i] = encoding.fromUnit(canonical);
    }
    double[] mean = new double[count];
    double[] variance = new double[count];
    gp.predict(x, count, mean, variance);
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = LogExpectedImprovement.logEi(best, mean[i], Math.sqrt(variance[i]));
    }
    return out;
  }

  private static Integer[] ranking(double[] score) {
    Integer[] order = new Integer[score.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
    return order;
  }

  private List<Trial> bestTold(int k) {
    List<Trial> withValue = new ArrayList<>();
    for (Trial t : told) {
      if (t.hasValue()) {
        withValue.add(t);
      }
    }
    withValue.sort((a, b) -> {
      int c = Double.compare(loss(a), loss(b));
      return c != 0 ? c : Integer.compare(a.index, b.index);
    });
    return withValue.subList(0, Math.min(k, withValue.size()));
  }

  /** Gaussian steps on numeric coordinates, a new category with probability 1/d. */
  private double[] perturb(double[] raw, double sigma) {
    double[] out = raw.clone();
    double flip = 1.0 / Math.max(1, dims.size());
    for (int i = 0; i < out.length; i++) {
      Dimension d = dims.get(i);
      if (d.kind() == Dimension.Kind.CATEGORICAL) {
        if (random.nextDouble() < flip) {
          out[i] = Mutations.mutate(d, out[i], sigma, random);
        }
      } else {
        out[i] = Mutations.reflect(out[i] + sigma * random.nextGaussian());
      }
    }
    return out;
  }
}
