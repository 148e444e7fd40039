package dev.strata.experiments.run;

import dev.strata.search.strategy.StrategyProvider;
import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.RandomStrategy;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Small spaces, strategies and evaluators for the runner's tests. */
public final class Fixtures {

  private Fixtures() {}

  /** Branin's domain: x in [-5, 10], y in [0, 15]. */
  public static SearchSpace space() {
    return ParameterSpace.of(FloatParameter.of("x", -5, 10), FloatParameter.of("y", 0, 15));
  }

  /** Branin-Hoo, minimum 0.397887. */
  public static double branin(Configuration c) {
    double x = ((Number) c.get("x")).doubleValue();
    double y = ((Number) c.get("y")).doubleValue();
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double t = y - b * x * x + 5 / Math.PI * x - 6;
    return t * t + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
  }

  /** "random" is search-core's; "greedy" is {@link GreedyStrategy}, which depends on what it was told. */
  public static final StrategyProvider STRATEGIES = (name, space, direction, seed, options) -> switch (name) {
    case "random" -> new RandomStrategy(space, direction, seed);
    case "greedy" -> new GreedyStrategy(space, direction, seed);
    default -> throw new IllegalArgumentException("unknown test strategy " + name);
  };

  /** A plan over {@link #space()} minimising {@code loss}. */
  public static RunPlan.Builder plan() {
    return RunPlan.builder(space(), Direction.MINIMIZE, "loss");
  }

  /**
   * An evaluator computing Branin with {@code epochs} reported epochs; its sleep per trial varies
   * with the trial seed (0..maxSleepMs), so completions arrive out of order.
   */
  public static TrialEvaluator branin(int epochs, int maxSleepMs) {
    return (configuration, context) -> {
      double v = branin(configuration);
      long sleep = maxSleepMs == 0 ? 0 : Math.floorMod(context.seed(), maxSleepMs + 1);
      for (int e = 1; e <= epochs; e++) {
        if (context.shouldStop()) {
          return new TrialResult(TrialStatus.INTERRUPTED, Map.of(), 0, 0, 0, null, "stopped");
        }
        sleep(sleep / epochs);
        if (!context.reportEpoch(e, v + 1.0 / e, v + 1.0 / e, v + 1.0 / e, e * 0.001)) {
          return new TrialResult(TrialStatus.INTERRUPTED, Map.of(), 0, 0, 0, null, "stopped");
        }
      }
      // a seed-dependent metric shows that the seed reaches the evaluator deterministically
      return TrialResult.completed(Map.of("loss", v, "seed_metric", (double) (context.seed() & 0xFFFF)), 0.001);
    };
  }

  static void sleep(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A strategy whose proposals depend on what it was told and in what order: random until a result
   * is known, then the best so far plus noise. Deterministic for a seed and a call sequence.
   */
  public static final class GreedyStrategy implements Strategy {
    private final SearchSpace space;
    private final Direction direction;
    private final SplittableRandom random;
    private final Map<Integer, Configuration> asked = new java.util.HashMap<>();
    private final Set<Integer> told = new HashSet<>();
    private Configuration best;
    private double bestValue = Double.NaN;
    private int next;

    public GreedyStrategy(SearchSpace space, Direction direction, long seed) {
      this.space = space;
      this.direction = direction;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
      return "greedy";
    }

    @Override
    public List<Proposal> ask(int n) {
      List<Proposal> out = new ArrayList<>();
      int dims = space.dimensions().size();
      for (int i = 0; i < n; i++) {
        double[] u = new double[dims];
        double[] base = best == null ? null : space.encode(best);
        for (int d = 0; d < dims; d++) {
          u[d] = base == null ? random.nextDouble()
              : Math.clamp(base[d] + 0.1 * (random.nextDouble() - 0.5), 0.0, 1.0);
        }
        Configuration c = space.decode(u);
        asked.put(next, c);
        out.add(Proposal.of(next++, c));
      }
      return out;
    }

    @Override
    public void tell(int index, Outcome outcome) {
      if (!asked.containsKey(index) || !told.add(index)) {
        throw new IllegalArgumentException("index " + index + " unknown or told twice");
      }
      if (outcome.hasValue() && (best == null || direction.isBetter(outcome.value(), bestValue))) {
        best = asked.get(index);
        bestValue = outcome.value();
      }
    }
  }
}
