package dev.strata.search.strategy;

import dev.strata.search.space.Dimension;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The bookkeeping every built-in strategy shares: trial indices, pending and told trials,
 * duplicate avoidance, and turning outcomes into losses.
 *
 * <p><b>Proposals one at a time.</b> {@code ask(n)} asks the subclass for one candidate at a time
 * and records it as pending before asking for the next, so {@code ask(n)} is the same as {@code n}
 * calls of {@code ask(1)}: a strategy's state depends only on the order of single proposals and
 * tells. Candidates are unit vectors over {@link SearchSpace#dimensions()} (latent values of
 * inactive dimensions included); the space decodes them.
 *
 * <p><b>Duplicates.</b> A candidate whose configuration was proposed before is retried (up to
 * {@value #OWN_RETRIES} times by the subclass, then up to {@value #RANDOM_RETRIES} uniform random
 * vectors); when the space is too small for that, the duplicate is returned.
 *
 * <p><b>Losses.</b> Strategies minimise {@code direction.toLoss(value)}. A PRUNED trial with a
 * finite value counts as an observation of its last intermediate value (a pessimistic estimate
 * of what it would have reached). FAILED, DIVERGED, REJECTED and value-less trials are imputed as
 * bad: the worst observed loss plus 10% of the observed loss range (at least 1 unit when the range
 * is 0), or {@value #PENALTY_WHEN_EMPTY} when nothing has been observed yet. The imputation moves
 * as observations arrive; it is never NaN.
 *
 * <p><b>Constraints.</b> A trial told with a positive {@link Outcome#violation() violation} is
 * infeasible, whatever its status and value: its loss is the failure imputation plus {@code
 * unit·(0.1 + min(violation, }{@value #MAX_VIOLATION}{@code ))}, with {@code unit} the observed
 * loss range (as for the imputation), so it ranks below every feasible trial and below failures,
 * and infeasible trials rank among themselves by violation (constrained domination, as in
 * NSGA-II's constraint handling). Only feasible values move the best and worst observed losses.
 * Every strategy that learns from losses (TPE's good and bad sets, the GP's targets, both
 * evolutions' selection) thereby steers towards the feasible region; random and Sobol ignore
 * outcomes.
 *
 * <p><b>Objectives.</b> A strategy built by {@link Strategies#create(String, SearchSpace,
 * Objectives, long, Map)} judges every told outcome against the {@link Objectives}' constraints
 * itself ({@link Objectives#judge}), so a replayed outcome read back from the store gets the same
 * violation as the live one. With several goals, {@link #losses} gives a trial's loss per goal,
 * each imputed and penalised as above per component (so an infeasible trial is dominated by every
 * feasible one: constrained domination); only the {@link
 * Strategies#multiObjectiveNames() multi-objective strategies} may be built with them.
 *
 * <p>Not thread-safe.
 */
abstract class AbstractStrategy implements Strategy {

  static final int OWN_RETRIES = 8;
  static final int RANDOM_RETRIES = 64;
  static final double PENALTY_WHEN_EMPTY = 1.0;
  /** Violations count up to this much in an infeasible trial's loss. */
  static final double MAX_VIOLATION = 10.0;

  /** One proposed trial. */
  static final class Trial {
    final int index;
    /** The proposed unit vector (latent values of inactive dimensions included). */
    final double[] raw;
    /** The canonical unit vector: {@code space.encode(configuration)}, NaN where inactive. */
    final double[] unit;
    final Configuration configuration;
    Outcome outcome;
    /** 1-based position among tells, 0 while pending. */
    int tellOrder;

    Trial(int index, double[] raw, double[] unit, Configuration configuration) {
      this.index = index;
      this.raw = raw;
      this.unit = unit;
      this.configuration = configuration;
    }

    boolean isTold() {
      return outcome != null;
    }

    boolean hasValue() {
      return outcome != null && outcome.hasValue();
    }

    /** Told with a usable value and no constraint violation. */
    boolean hasFeasibleValue() {
      return hasValue() && outcome.isFeasible();
    }
  }

  /** What a subclass proposes: a unit vector and the tags to store with it. */
  record Candidate(double[] unit, Map<String, String> tags) {
    Candidate {
      Objects.requireNonNull(unit, "unit");
      tags = tags == null ? Map.of() : tags;
    }

    static Candidate of(double[] unit) {
      return new Candidate(unit, Map.of());
    }
  }

  protected final String name;
  protected final SearchSpace space;
  protected final List<Dimension> dims;
  protected final Direction direction;
  protected final long seed;
  protected final SplittableRandom random;
  protected final List<Trial> trials = new ArrayList<>();
  /** Told trials in tell order. */
  protected final List<Trial> told = new ArrayList<>();
  private final Set<String> proposed = new HashSet<>();
  private int randomFallbacks;
  private double bestLoss = Double.POSITIVE_INFINITY;
  private double worstLoss = Double.NEGATIVE_INFINITY;
  private Objectives objectives;
  /** The ParEGO weights of the current proposal (several goals, a scalarising strategy); else null. */
  private double[] weights;
  /** Per goal: the best and worst feasible losses of trials with every goal's value known. */
  private double[] bestLosses;
  private double[] worstLosses;

  AbstractStrategy(String name, SearchSpace space, Direction direction, long seed) {
    this.name = Objects.requireNonNull(name, "name");
    this.space = Objects.requireNonNull(space, "space");
    this.dims = List.copyOf(space.dimensions());
    this.direction = Objects.requireNonNull(direction, "direction");
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    useObjectives(Objectives.of(direction));
  }

  /**
   * Sets the goals and constraints, before any proposal. {@code objectives.direction()} must be
   * the strategy's direction.
   *
   * @throws IllegalArgumentException for several goals when the strategy is not one of {@link
   *     Strategies#multiObjectiveNames()}
   */
  final void useObjectives(Objectives value) {
    if (!trials.isEmpty()) {
      throw new IllegalStateException(name + ": objectives are set before the first proposal");
    }
    if (value.direction() != direction) {
      throw new IllegalArgumentException(name + ": the primary goal is " + value.direction() + ", the strategy "
          + direction);
    }
    if (value.isMultiObjective() && !Strategies.multiObjectiveNames().contains(name)) {
      throw new IllegalArgumentException("strategy '" + name + "' optimises one objective; for "
          + value.goals().size() + " objectives use one of " + String.join(", ", Strategies.multiObjectiveNames()));
    }
    this.objectives = value;
    this.bestLosses = new double[value.goals().size()];
    this.worstLosses = new double[value.goals().size()];
    Arrays.fill(bestLosses, Double.POSITIVE_INFINITY);
    Arrays.fill(worstLosses, Double.NEGATIVE_INFINITY);
  }

  /** The goals and constraints. */
  final Objectives objectives() {
    return objectives;
  }

  /**
   * Whether this single-objective strategy searches several goals through {@link #loss}
   * scalarised ParEGO-style (see {@link #loss}); false by default.
   */
  boolean scalarizesGoals() {
    return false;
  }

  /** ParEGO: weights uniform on the simplex (normalised exponential draws), one set per proposal. */
  private void drawWeights() {
    int m = objectives.goals().size();
    double[] w = new double[m];
    double sum = 0;
    for (int k = 0; k < m; k++) {
      w[k] = -Math.log(1 - random.nextDouble());
      sum += w[k];
    }
    for (int k = 0; k < m; k++) {
      w[k] /= sum;
    }
    weights = w;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<Proposal> ask(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("ask(n) needs n >= 1, got " + n);
    }
    List<Proposal> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(proposeOne());
    }
    return List.copyOf(out);
  }

  private Proposal proposeOne() {
    if (objectives.isMultiObjective() && scalarizesGoals()) {
      drawWeights();
    }
    Candidate candidate = propose(0);
    Configuration configuration = decode(candidate.unit());
    for (int attempt = 1; attempt <= OWN_RETRIES + RANDOM_RETRIES
        && proposed.contains(configuration.canonicalJson()); attempt++) {
      if (attempt == OWN_RETRIES + 1) {
        randomFallbacks++;
      }
      candidate = attempt <= OWN_RETRIES
          ? propose(attempt)
          : new Candidate(uniform(), candidate.tags());
      configuration = decode(candidate.unit());
    }
    proposed.add(configuration.canonicalJson());
    double[] raw = candidate.unit().clone();
    Trial trial = new Trial(trials.size(), raw, space.encode(configuration), configuration);
    trials.add(trial);
    accepted(trial, candidate);
    return new Proposal(trial.index, configuration, candidate.tags());
  }

  private Configuration decode(double[] unit) {
    if (unit.length != dims.size()) {
      throw new IllegalStateException(name + " proposed " + unit.length + " coordinates for "
          + dims.size() + " dimensions");
    }
    for (int i = 0; i < unit.length; i++) {
      if (!(unit[i] >= 0 && unit[i] <= 1)) {
        unit[i] = Double.isNaN(unit[i]) ? 0.5 : Math.clamp(unit[i], 0.0, 1.0);
      }
    }
    return space.decode(unit);
  }

  @Override
  public final void tell(int index, Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (index < 0 || index >= trials.size()) {
      throw new IllegalArgumentException(name + ": unknown trial index " + index + " (proposed so far: 0.."
          + (trials.size() - 1) + ")");
    }
    Trial trial = trials.get(index);
    if (trial.isTold()) {
      throw new IllegalArgumentException(name + ": trial " + index + " was already told (" + trial.outcome.status()
          + ")");
    }
    trial.outcome = objectives.judge(outcome);
    told.add(trial);
    trial.tellOrder = told.size();
    if (trial.hasFeasibleValue()) {
      double loss = direction.toLoss(outcome.value());
      bestLoss = Math.min(bestLoss, loss);
      worstLoss = Math.max(worstLoss, loss);
      double[] values = objectives.values(trial.outcome);
      if (Arrays.stream(values).allMatch(Double::isFinite)) {
        for (int k = 0; k < values.length; k++) {
          double l = objectives.goals().get(k).direction().toLoss(values[k]);
          bestLosses[k] = Math.min(bestLosses[k], l);
          worstLosses[k] = Math.max(worstLosses[k], l);
        }
      }
    }
    onTell(trial);
  }

  /**
   * The next candidate. {@code attempt > 0} means the previous candidate duplicated an earlier
   * proposal; a subclass should then vary it (it may ignore the hint and draw afresh).
   */
  abstract Candidate propose(int attempt);

  /** The configuration of a candidate unit vector (clamped into [0, 1] in place). */
  final Configuration configurationOf(double[] unit) {
    return decode(unit);
  }

  /**
   * Whether this configuration was proposed before. Lets a subclass pick its best fresh
   * candidate instead of a duplicate.
   */
  final boolean wasProposed(Configuration configuration) {
    return proposed.contains(configuration.canonicalJson());
  }

  /**
   * How many proposals so far fell back to uniform random vectors because the subclass kept
   * proposing duplicates ({@value #OWN_RETRIES} retries); the contract tests bound it.
   */
  final int randomFallbacks() {
    return randomFallbacks;
  }

  /** Called once the candidate has become a pending trial. */
  void accepted(Trial trial, Candidate candidate) {}

  /** Called after a trial's outcome is recorded. */
  void onTell(Trial trial) {}

  /** A uniform random unit vector from the strategy's generator. */
  final double[] uniform() {
    double[] u = new double[dims.size()];
    for (int i = 0; i < u.length; i++) {
      u[i] = random.nextDouble();
    }
    return u;
  }

  /** Whether any told trial carries a feasible value. */
  final boolean hasObservations() {
    return bestLoss < Double.POSITIVE_INFINITY;
  }

  /**
   * The loss a told trial stands for (see the class comment); never NaN. With several goals in a
   * {@link #scalarizesGoals() scalarising} strategy it is ParEGO's augmented Chebyshev
   * scalarisation (Knowles 2006) of the per-goal {@link #losses}, each normalised by the observed
   * range, {@code z_k = (loss_k − best_k)/(worst_k − best_k)}, under the weights {@code w} drawn
   * uniformly on the simplex for the current proposal: {@code max_k w_k z_k + 0.05 Σ_k w_k z_k}.
   * Every proposal thus minimises another trade-off, and the proposals spread over the front.
   */
  final double loss(Trial trial) {
    if (!trial.isTold()) {
      throw new IllegalStateException("trial " + trial.index + " is pending");
    }
    if (weights != null) {
      double[] l = losses(trial);
      double max = Double.NEGATIVE_INFINITY;
      double sum = 0;
      for (int k = 0; k < l.length; k++) {
        boolean observed = bestLosses[k] < Double.POSITIVE_INFINITY;
        double range = observed && worstLosses[k] > bestLosses[k] ? worstLosses[k] - bestLosses[k] : 1;
        double z = (l[k] - (observed ? bestLosses[k] : 0)) / range;
        max = Math.max(max, weights[k] * z);
        sum += weights[k] * z;
      }
      return max + 0.05 * sum;
    }
    if (!trial.outcome.isFeasible()) {
      return imputedLoss() + penaltyUnit() * (0.1 + Math.min(trial.outcome.violation(), MAX_VIOLATION));
    }
    if (trial.hasValue()) {
      return direction.toLoss(trial.outcome.value());
    }
    return imputedLoss();
  }

  /**
   * The losses a told trial stands for, one per goal: {@code direction.toLoss(value)} when the
   * trial is feasible and every goal's value is known, else per component the failure imputation
   * (plus the violation penalty when infeasible) as for {@link #loss}; never NaN.
   */
  final double[] losses(Trial trial) {
    if (!trial.isTold()) {
      throw new IllegalStateException("trial " + trial.index + " is pending");
    }
    int m = objectives.goals().size();
    double[] values = objectives.values(trial.outcome);
    boolean known = trial.hasFeasibleValue() && Arrays.stream(values).allMatch(Double::isFinite);
    double[] out = new double[m];
    for (int k = 0; k < m; k++) {
      if (known) {
        out[k] = objectives.goals().get(k).direction().toLoss(values[k]);
        continue;
      }
      boolean observed = bestLosses[k] < Double.POSITIVE_INFINITY;
      double unit = !observed ? PENALTY_WHEN_EMPTY
          : worstLosses[k] > bestLosses[k] ? worstLosses[k] - bestLosses[k] : Math.max(10.0, Math.abs(worstLosses[k]));
      double imputed = observed ? worstLosses[k] + 0.1 * unit : PENALTY_WHEN_EMPTY;
      out[k] = trial.outcome.isFeasible() ? imputed
          : imputed + unit * (0.1 + Math.min(trial.outcome.violation(), MAX_VIOLATION));
    }
    return out;
  }

  /** The loss imputed for a failed trial now. */
  final double imputedLoss() {
    if (!hasObservations()) {
      return PENALTY_WHEN_EMPTY;
    }
    return worstLoss + 0.1 * penaltyUnit();
  }

  /** The observed loss range, or when it is 0 {@code max(10, |worst|)}, or 1 before any value. */
  private double penaltyUnit() {
    if (!hasObservations()) {
      return PENALTY_WHEN_EMPTY;
    }
    double range = worstLoss - bestLoss;
    return range > 0 ? range : Math.max(10.0, Math.abs(worstLoss));
  }

  /** Pending trials in index order. */
  final List<Trial> pending() {
    List<Trial> out = new ArrayList<>();
    for (Trial t : trials) {
      if (!t.isTold()) {
        out.add(t);
      }
    }
    return out;
  }

  static double[] copyOf(double[] a) {
    return Arrays.copyOf(a, a.length);
  }
}
