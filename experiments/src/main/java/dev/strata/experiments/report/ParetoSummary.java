package dev.strata.experiments.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.common.Quantiles;
import dev.strata.runs.ParetoRun;
import dev.strata.search.trial.Constraint;
import dev.strata.search.trial.Goal;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Pareto front of a multi-objective run (two or more {@code objectives}) and each study's
 * hypervolume, as {@code strata status} and {@code strata compare} show them.
 *
 * <p>The front and each study's hypervolume are {@link ParetoRun}'s (the one definition the
 * dashboard's Pareto panel shows too) over the trials that meet the constraints ({@link
 * Objectives#violation}, judged again from the stored metrics). Strategies are ranked by their
 * median hypervolume over seeds ({@link Quantiles#type7}), larger first. Immutable.
 *
 * @param objectives the run's goals and constraints, read back from the stored experiment
 * @param front the run's front, by trial id
 * @param hypervolume per study id
 */
public record ParetoSummary(Objectives objectives, List<TrialRecord> front, Map<Long, Double> hypervolume,
    List<StrategyVolume> ranking) {

  /** A strategy's hypervolumes over its seeds. */
  public record StrategyVolume(String strategy, int seeds, double median, double q1, double q3) {}

  /** Reference point margin above the nadir on each normalized axis. */
  public static final double MARGIN = ParetoRun.MARGIN;

  /** The summary of a multi-objective run; empty for a single objective. */
  public static Optional<ParetoSummary> of(RunData run) {
    Optional<Objectives> parsed = run.experiment().objectives();
    if (parsed.isEmpty() || !parsed.get().isMultiObjective()) {
      return Optional.empty();
    }
    Objectives objectives = parsed.get();
    // judged again here, so a run stored before the study kept each trial's violation is judged alike
    List<TrialRecord> feasible = run.trials().stream().filter(t -> objectives.violation(outcome(t)) <= 0).toList();
    ParetoRun p = ParetoRun.of(objectives.goals(), run.experiment().metric(), run.studies(), feasible);
    Map<Long, Double> hv = p.hypervolume();
    List<StrategyVolume> ranking = new ArrayList<>();
    for (String strategy : run.strategies()) {
      double[] v = run.studies().stream().filter(s -> s.strategy().equals(strategy))
          .mapToDouble(s -> hv.get(s.id())).sorted().toArray();
      ranking.add(new StrategyVolume(strategy, v.length, Quantiles.type7(v, 0.5), Quantiles.type7(v, 0.25),
          Quantiles.type7(v, 0.75)));
    }
    ranking.sort((a, b) -> a.median() != b.median() ? Double.compare(b.median(), a.median())
        : a.strategy().compareTo(b.strategy()));
    return Optional.of(new ParetoSummary(objectives, p.front(), hv, List.copyOf(ranking)));
  }

  /** The goals' values of a trial, in goal order (NaN where unknown). */
  public double[] values(TrialRecord t) {
    return objectives.values(outcome(t));
  }

  private static Outcome outcome(TrialRecord t) {
    Map<String, Double> metrics = new LinkedHashMap<>(t.metrics());
    if (t.parameters() > 0) {
      metrics.putIfAbsent("params", (double) t.parameters());
    }
    if (t.flops() > 0) {
      metrics.putIfAbsent("flops", t.flops());
    }
    return new Outcome(t.status(), t.value(), metrics, t.reason());
  }

  /** Lines for {@code strata status}: the goals, each strategy's hypervolume, and the front (at most {@code max}). */
  public String text(RunData run, int max) {
    StringBuilder b = new StringBuilder();
    b.append("objectives: ").append(objectives.goals().stream().map(Goal::toString).toList());
    if (!objectives.constraints().isEmpty()) {
      b.append(", subject to ").append(objectives.constraints());
    }
    b.append('\n');
    b.append("hypervolume (normalized to the run's ideal and nadir, reference 1.1; median [q1, q3] over seeds):\n");
    for (StrategyVolume v : ranking) {
      b.append(String.format(Locale.ROOT, "  %-24s %2d seeds  %s [%s, %s]%n", v.strategy(), v.seeds(),
          Comparison.num(v.median()), Comparison.num(v.q1()), Comparison.num(v.q3())));
    }
    b.append("Pareto front: ").append(front.size()).append(front.size() == 1 ? " trial" : " trials").append('\n');
    List<TrialRecord> sorted = new ArrayList<>(front);
    sorted.sort((x, y) -> Double.compare(objectives.direction().toLoss(x.value()), objectives.direction().toLoss(y.value())));
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %8s %-24s", "trial", "study"));
    objectives.goals().forEach(g -> head.append(String.format(Locale.ROOT, " %14s", g.metric())));
    b.append(head).append('\n');
    for (TrialRecord t : sorted.subList(0, Math.min(max, sorted.size()))) {
      StringBuilder l = new StringBuilder(String.format(Locale.ROOT, "  %8d %-24s", t.id(), run.study(t.studyId()).label()));
      for (double v : values(t)) {
        l.append(String.format(Locale.ROOT, " %14s", Comparison.num(v)));
      }
      b.append(l).append('\n');
    }
    if (sorted.size() > max) {
      b.append("  ... ").append(sorted.size() - max).append(" more (--json lists all)\n");
    }
    return b.toString();
  }

  /** The {@code pareto} object of {@code --json}: objectives, constraints, hypervolume per study and strategy, front. */
  public ObjectNode toJson(RunData run) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    ArrayNode goals = o.putArray("objectives");
    for (Goal g : objectives.goals()) {
      goals.addObject().put("metric", g.metric()).put("direction", g.direction().name().toLowerCase(Locale.ROOT));
    }
    ArrayNode cons = o.putArray("constraints");
    for (Constraint c : objectives.constraints()) {
      ObjectNode n = cons.addObject().put("metric", c.metric());
      if (c.min() != Double.NEGATIVE_INFINITY) {
        n.put("min", c.min());
      }
      if (c.max() != Double.POSITIVE_INFINITY) {
        n.put("max", c.max());
      }
    }
    ArrayNode studies = o.putArray("hypervolume");
    for (StudyRecord s : run.studies()) {
      studies.addObject().put("strategy", s.strategy()).put("seed", s.seed()).put("value", hypervolume.get(s.id()));
    }
    ArrayNode strategies = o.putArray("strategies");
    for (StrategyVolume v : ranking) {
      strategies.addObject().put("strategy", v.strategy()).put("seeds", v.seeds()).put("median", v.median())
          .put("q1", v.q1()).put("q3", v.q3());
    }
    ArrayNode f = o.putArray("front");
    for (TrialRecord t : front) {
      ObjectNode n = f.addObject().put("trial", t.id()).put("study", run.study(t.studyId()).label());
      ObjectNode values = n.putObject("values");
      double[] v = values(t);
      for (int k = 0; k < v.length; k++) {
        values.put(objectives.goals().get(k).metric(), v[k]);
      }
    }
    return o;
  }
}
