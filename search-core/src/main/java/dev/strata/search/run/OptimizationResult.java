package dev.strata.search.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one {@link Optimization} run found. Immutable and thread-safe.
 *
 * @param strategy the strategy's name
 * @param objective the objective's name
 * @param seed the strategy's seed
 * @param trials the number of evaluations
 * @param direction the objective's direction
 * @param bestValue the best value found, NaN when every evaluation failed
 * @param bestConfiguration the configuration of {@code bestValue}, null when every evaluation failed
 * @param trajectory the best value so far after each evaluation (NaN before the first success)
 * @param optimum the objective's known optimum, when it has one
 * @param regret {@code |best so far − optimum|} after each evaluation, in the objective's
 *     direction ({@code toLoss(best) − toLoss(optimum)}); empty when the optimum is unknown
 * @param meanAskMillis the mean wall time of one {@code ask(1)}, in milliseconds
 * @param failures evaluations that threw or gave a non-finite value (told FAILED / DIVERGED)
 * @param evaluations every evaluation in order (empty when not recorded)
 */
public record OptimizationResult(
    String strategy,
    String objective,
    long seed,
    int trials,
    Direction direction,
    double bestValue,
    Configuration bestConfiguration,
    List<Double> trajectory,
    OptionalDouble optimum,
    List<Double> regret,
    double meanAskMillis,
    int failures,
    List<Evaluation> evaluations) {

  /**
   * One evaluation of an {@link Optimization}.
   *
   * @param trial its 0-based index, in ask order
   * @param configuration what was evaluated
   * @param status COMPLETED, or FAILED / DIVERGED
   * @param value the objective's value, NaN when it failed
   * @param reason why it failed, null when it completed
   * @param bestSoFar the best value after it (NaN before the first success)
   */
  public record Evaluation(int trial, Configuration configuration, TrialStatus status, double value, String reason,
      double bestSoFar) {
    public Evaluation {
      Objects.requireNonNull(configuration, "configuration");
      Objects.requireNonNull(status, "status");
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public OptimizationResult {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(optimum, "optimum");
    trajectory = List.copyOf(trajectory);
    regret = List.copyOf(regret);
    evaluations = List.copyOf(evaluations);
    if (!evaluations.isEmpty() && evaluations.size() != trials) {
      throw new IllegalArgumentException(
          "evaluations has " + evaluations.size() + " entries for " + trials + " trials");
    }
    if (trajectory.size() != trials) {
      throw new IllegalArgumentException(
          "trajectory has " + trajectory.size() + " entries for " + trials + " trials");
    }
    if (!regret.isEmpty() && regret.size() != trials) {
      throw new IllegalArgumentException(
          "regret has " + regret.size() + " entries for " + trials + " trials");
    }
  }

  /** A result without the per-evaluation records. */
  public OptimizationResult(String strategy, String objective, long seed, int trials, Direction direction,
      double bestValue, Configuration bestConfiguration, List<Double> trajectory, OptionalDouble optimum,
      List<Double> regret, double meanAskMillis, int failures) {
    this(strategy, objective, seed, trials, direction, bestValue, bestConfiguration, trajectory, optimum, regret,
        meanAskMillis, failures, List.of());
  }

  /** The final regret, when the optimum is known and something succeeded. */
  public OptionalDouble finalRegret() {
    return regret.isEmpty() || Double.isNaN(regret.getLast())
        ? OptionalDouble.empty() : OptionalDouble.of(regret.getLast());
  }

  /** The best value after {@code budget} evaluations (1-based; NaN before the first success). */
  public double bestAfter(int budget) {
    if (budget < 1 || budget > trials) {
      throw new IllegalArgumentException("budget must be in [1, " + trials + "], got " + budget);
    }
    return trajectory.get(budget - 1);
  }

  /**
   * The JSON form, exactly: {@code strategy}, {@code seed}, {@code trials}, {@code best_value},
   * {@code best_config} (an object, null when nothing succeeded), {@code trajectory} (best so far
   * after each evaluation, null before the first success), {@code ask_ms} (mean), and {@code
   * evaluations}: every evaluation in ask order as {@code {trial, config, status, value, best}}
   * ({@code value} and {@code best} null when not a number yet; {@code reason} on a failure).
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("strategy", strategy);
    root.put("seed", seed);
    root.put("trials", trials);
    putNumber(root, "best_value", bestValue);
    if (bestConfiguration == null) {
      root.putNull("best_config");
    } else {
      root.set("best_config", JSON.valueToTree(bestConfiguration.values()));
    }
    ArrayNode t = root.putArray("trajectory");
    for (double v : trajectory) {
      if (Double.isFinite(v)) {
        t.add(v);
      } else {
        t.addNull();
      }
    }
    root.put("ask_ms", meanAskMillis);
    ArrayNode all = root.putArray("evaluations");
    for (Evaluation e : evaluations) {
      ObjectNode n = all.addObject();
      n.put("trial", e.trial());
      n.set("config", JSON.valueToTree(e.configuration().values()));
      n.put("status", e.status().name());
      putNumber(n, "value", e.value());
      putNumber(n, "best", e.bestSoFar());
      if (e.reason() != null) {
        n.put("reason", e.reason());
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putNumber(ObjectNode node, String key, double v) {
    if (Double.isFinite(v)) {
      node.put(key, v);
    } else {
      node.putNull(key);
    }
  }

  /** A few human lines: best value and configuration, regret, failures, ask time. */
  public String toText() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%s on %s (%s), seed %d, %d trials", strategy, objective,
        direction.name().toLowerCase(Locale.ROOT), seed, trials));
    lines.add("best value:  " + (Double.isNaN(bestValue) ? "none (every trial failed)" : fmt(bestValue)));
    if (bestConfiguration != null) {
      lines.add("best config: " + bestConfiguration.canonicalJson());
    }
    if (optimum.isPresent()) {
      lines.add("optimum:     " + fmt(optimum.getAsDouble()) + "  (regret "
          + (finalRegret().isPresent() ? fmt(finalRegret().getAsDouble()) : "n/a") + ")");
    }
    if (failures > 0) {
      lines.add("failed:      " + failures + " of " + trials);
    }
    lines.add(String.format(Locale.ROOT, "ask time:    %.3f ms mean", meanAskMillis));
    return String.join(System.lineSeparator(), lines);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
