package dev.strata.search.trial;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a search optimises: one or more {@link Goal goals} and the {@link Constraint constraints}
 * a trial must meet to be feasible. The first goal is the <em>primary</em> one: its value is the
 * trial's {@link Outcome#value() value}, the one best-so-far, leaderboards and schedulers use. The
 * values of the other goals are read from {@link Outcome#metrics()}. A search with more than one
 * goal is multi-objective: its result is a Pareto front ({@link
 * dev.strata.search.pareto.ParetoFront}), compared by hypervolume ({@link
 * dev.strata.search.pareto.Hypervolume}).
 *
 * <p>Immutable and thread-safe.
 */
public record Objectives(List<Goal> goals, List<Constraint> constraints) {

  /** The metric name of a single objective with no name of its own (a test function). */
  public static final String VALUE = "value";

  /**
   * The metric a {@link #judge judged} infeasible trial carries: its total violation, absent when
   * the trial is feasible. The store keeps it with the trial, so best-so-far ({@link
   * TrialRecord#isFeasible()}) and the store's aggregates need no constraints to tell feasible
   * trials from infeasible ones.
   */
  public static final String VIOLATION = "constraint_violation";

  public Objectives {
    goals = List.copyOf(goals);
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    if (goals.isEmpty()) {
      throw new IllegalArgumentException("a search needs at least one goal");
    }
    Set<String> seen = new HashSet<>();
    for (Goal g : goals) {
      if (!seen.add(g.metric())) {
        throw new IllegalArgumentException("goal '" + g.metric() + "' is given twice");
      }
    }
  }

  /** One goal on the trial's value, no constraints. */
  public static Objectives of(Direction direction) {
    return new Objectives(List.of(new Goal(VALUE, direction)), List.of());
  }

  /** One goal, no constraints. */
  public static Objectives of(String metric, Direction direction) {
    return new Objectives(List.of(new Goal(metric, direction)), List.of());
  }

  /** These goals with these constraints. */
  public Objectives withConstraints(List<Constraint> value) {
    return new Objectives(goals, value);
  }

  /** The primary goal's direction. */
  public Direction direction() {
    return goals.getFirst().direction();
  }

  /** The primary goal. */
  public Goal primary() {
    return goals.getFirst();
  }

  public boolean isMultiObjective() {
    return goals.size() > 1;
  }

  /** One goal and no constraints: what every strategy handles. */
  public boolean isPlain() {
    return goals.size() == 1 && constraints.isEmpty();
  }

  /**
   * The goals' values of an outcome, in goal order: the primary one is {@link Outcome#value()},
   * the others come from its metrics; NaN where unknown.
   */
  public double[] values(Outcome outcome) {
    double[] out = new double[goals.size()];
    out[0] = outcome.hasValue() ? outcome.value() : Double.NaN;
    for (int k = 1; k < out.length; k++) {
      Double v = outcome.metrics().get(goals.get(k).metric());
      out[k] = v == null ? Double.NaN : v;
    }
    return out;
  }

  /**
   * How far an outcome breaks the constraints ({@link Constraint#violation(double)}, summed),
   * at least its own {@link Outcome#violation()}. A completed or pruned trial missing a
   * constrained metric breaks it by 1; a failed one is judged only on the metrics it has (a
   * candidate rejected before training for its parameter count carries that count).
   */
  public double violation(Outcome outcome) {
    if (constraints.isEmpty()) {
      return outcome.violation();
    }
    Map<String, Double> metrics = new HashMap<>(outcome.metrics());
    if (outcome.hasValue()) {
      metrics.putIfAbsent(primary().metric(), outcome.value());
    }
    boolean finished = outcome.hasValue();
    double total = 0;
    for (Constraint c : constraints) {
      Double v = metrics.get(c.metric());
      if (v != null) {
        total += c.violation(v);
      } else if (finished) {
        total += 1;
      }
    }
    return Math.max(total, outcome.violation());
  }

  /**
   * The outcome with its violation under these constraints. An infeasible one also carries it as
   * the {@link #VIOLATION} metric and, when it has no reason yet (a trained trial that breaks a
   * constraint on a trained metric keeps its status and value), the reason {@code infeasible:
   * latency_ms_b1 0.08 breaks latency_ms_b1 <= 0.05}. Judging a judged outcome changes nothing.
   */
  public Outcome judge(Outcome outcome) {
    double v = violation(outcome);
    if (!(v > 0)) {
      return v == outcome.violation() ? outcome : outcome.withViolation(v);
    }
    Map<String, Double> metrics = new java.util.LinkedHashMap<>(outcome.metrics());
    metrics.put(VIOLATION, v);
    String reason = outcome.reason().isEmpty() ? "infeasible: " + broken(outcome) : outcome.reason();
    return new Outcome(outcome.status(), outcome.value(), metrics, reason, v);
  }

  /** The constraints an outcome breaks, with the values that break them. */
  private String broken(Outcome outcome) {
    List<String> out = new java.util.ArrayList<>();
    for (Constraint c : constraints) {
      Double v = c.metric().equals(primary().metric()) && outcome.hasValue() ? Double.valueOf(outcome.value())
          : outcome.metrics().get(c.metric());
      if (v == null) {
        out.add(c.metric() + " unknown (constraint " + c + ")");
      } else if (c.violation(v) > 0) {
        out.add(c.metric() + " " + v + " breaks " + c);
      }
    }
    return out.isEmpty() ? "violation " + outcome.violation() : String.join("; ", out);
  }

  @Override
  public String toString() {
    return goals + (constraints.isEmpty() ? "" : " subject to " + constraints);
  }

}
