package dev.strata.runs;

import dev.strata.search.pareto.Hypervolume;
import dev.strata.search.pareto.ParetoFront;
import dev.strata.search.trial.Goal;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's Pareto front under some goals and each study's hypervolume: the one definition behind
 * {@code strata status}, {@code compare}, the report and the dashboard's Pareto panel (which also
 * draws a single-objective run as this front over its objective and {@code params}, minimised).
 * Immutable.
 *
 * <p>A trial <em>counts</em> when it can set a best-so-far ({@link BestSoFar#counts}: COMPLETED,
 * finite value, feasible) and every goal's value is known ({@link #value}). The front is {@link
 * ParetoFront} over the counted trials' losses. A study's hypervolume is {@link
 * Hypervolume#normalized} over its counted trials with the <em>run's</em> ideal and nadir point
 * (the best and worst loss per goal among every counted trial) and the reference point {@code 1 +}
 * {@value #MARGIN} on each axis, so studies of one run are comparable and the largest possible
 * value is 1.1^m; a study with no counted trial has 0. Two goals cost one sort per study, so
 * 100,000 trials stay fast.
 *
 * @param goals the goals, in order
 * @param counted the trials that count, in the order given
 * @param values the goals' values of each counted trial
 * @param front the counted trials on the front, in the order given
 * @param hypervolume per study id, in study order
 */
public record ParetoRun(List<Goal> goals, List<TrialRecord> counted, List<double[]> values, List<TrialRecord> front,
    Map<Long, Double> hypervolume) {

  /** Reference point margin above the nadir on each normalized axis. */
  public static final double MARGIN = 0.1;

  public ParetoRun {
    goals = List.copyOf(goals);
    counted = List.copyOf(counted);
    values = List.copyOf(values);
    front = List.copyOf(front);
    hypervolume = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hypervolume));
  }

  /**
   * The front and hypervolumes of {@code trials} under {@code goals}.
   *
   * @param objectiveMetric the run's objective metric: a goal on it reads the trial's value
   */
  public static ParetoRun of(List<Goal> goals, String objectiveMetric, List<StudyRecord> studies, List<TrialRecord> trials) {
    int m = goals.size();
    List<TrialRecord> counted = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    List<double[]> losses = new ArrayList<>();
    double[] ideal = new double[m];
    double[] nadir = new double[m];
    Arrays.fill(ideal, Double.POSITIVE_INFINITY);
    Arrays.fill(nadir, Double.NEGATIVE_INFINITY);
    for (TrialRecord t : trials) {
      if (!BestSoFar.counts(t)) {
        continue;
      }
      double[] v = new double[m];
      for (int k = 0; k < m; k++) {
        v[k] = value(t, goals.get(k).metric(), objectiveMetric);
      }
      if (Arrays.stream(v).allMatch(Double::isFinite)) {
        double[] l = ParetoFront.losses(goals, v);
        counted.add(t);
        values.add(v);
        losses.add(l);
        for (int k = 0; k < m; k++) {
          ideal[k] = Math.min(ideal[k], l[k]);
          nadir[k] = Math.max(nadir[k], l[k]);
        }
      }
    }
    List<TrialRecord> front = ParetoFront.indices(losses).stream().map(counted::get).toList();
    Map<Long, List<double[]>> byStudy = new LinkedHashMap<>();
    studies.forEach(s -> byStudy.put(s.id(), new ArrayList<>()));
    for (int i = 0; i < counted.size(); i++) {
      List<double[]> own = byStudy.get(counted.get(i).studyId());
      if (own != null) {
        own.add(losses.get(i));
      }
    }
    Map<Long, Double> hv = new LinkedHashMap<>();
    byStudy.forEach((id, own) -> hv.put(id, own.isEmpty() ? 0.0 : Hypervolume.normalized(own, ideal, nadir, MARGIN)));
    return new ParetoRun(goals, counted, values, front, hv);
  }

  /**
   * A stored trial's value of a metric: its objective value for the run's objective metric, else
   * the reported metric, else {@code params} and {@code flops} from their columns (when known);
   * NaN when unknown.
   */
  public static double value(TrialRecord t, String metric, String objectiveMetric) {
    if (metric.equals(objectiveMetric)) {
      return t.value();
    }
    Double reported = t.metrics().get(metric);
    if (reported != null) {
      return reported;
    }
    if (metric.equals("params") && t.parameters() > 0) {
      return t.parameters();
    }
    if (metric.equals("flops") && t.flops() > 0) {
      return t.flops();
    }
    return Double.NaN;
  }
}
