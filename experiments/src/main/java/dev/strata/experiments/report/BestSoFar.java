package dev.strata.experiments.report;

import dev.strata.common.Quantiles;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Best-so-far curves and their spread over seeds.
 *
 * <p>For one study with results r_1, r_2, ... in the order they became known, the best-so-far
 * after k results is {@code b_k = best(r_1..r_k)} over COMPLETED values (NaN until the first one).
 * Against training time, {@code b(t)} is the best over the results whose cumulative training
 * seconds are {@code <= t}. Over the seeds of a strategy, a point is summarised by the median and
 * the quartiles q1, q3 (linear interpolation between order statistics, "type 7": position
 * {@code (n - 1) p}), the inter-quartile range being {@code q3 - q1}. Studies with no value yet at
 * a point are left out of it. Stateless.
 */
public final class BestSoFar {

  /** Median and quartiles of one point over seeds; {@code n} is the number of seeds with a value. */
  public record Band(double x, double median, double q1, double q3, int n) {
    public double iqr() {
      return q3 - q1;
    }
  }

  private BestSoFar() {}

  /** b_1..b_n of a study: the best-so-far after each result. */
  public static double[] byTrial(List<TrialRecord> trials, Direction direction) {
    double[] out = new double[trials.size()];
    double best = Double.NaN;
    for (int i = 0; i < trials.size(); i++) {
      TrialRecord t = trials.get(i);
      if (RunData.counts(t) && (Double.isNaN(best) || direction.isBetter(t.value(), best))) {
        best = t.value();
      }
      out[i] = best;
    }
    return out;
  }

  /** Cumulative training seconds after each result. */
  public static double[] cumulativeSeconds(List<TrialRecord> trials) {
    double[] out = new double[trials.size()];
    double sum = 0;
    for (int i = 0; i < trials.size(); i++) {
      sum += Math.max(0, trials.get(i).trainSeconds());
      out[i] = sum;
    }
    return out;
  }

  /** The best-so-far at training time t (NaN before the first value). */
  static double atTime(double[] best, double[] seconds, double t) {
    double v = Double.NaN;
    for (int i = 0; i < best.length && seconds[i] <= t + 1e-9; i++) {
      v = best[i];
    }
    return v;
  }

  /** Per strategy: the band over its seeds after k = 1..max results. */
  public static Map<String, List<Band>> trialBands(RunData run) {
    Map<String, List<Band>> out = new LinkedHashMap<>();
    for (String strategy : run.strategies()) {
      List<double[]> curves = new ArrayList<>();
      for (StudyRecord s : run.studies()) {
        if (s.strategy().equals(strategy)) {
          curves.add(byTrial(run.trialsByStudy().getOrDefault(s.id(), List.of()), run.direction()));
        }
      }
      int max = curves.stream().mapToInt(c -> c.length).max().orElse(0);
      List<Band> bands = new ArrayList<>();
      for (int k = 1; k <= max; k++) {
        double[] values = new double[curves.size()];
        int n = 0;
        for (double[] c : curves) {
          if (c.length == 0) {
            continue;
          }
          // a study that ran fewer trials keeps its final best
          double v = c[Math.min(k, c.length) - 1];
          if (!Double.isNaN(v)) {
            values[n++] = v;
          }
        }
        if (n > 0) {
          bands.add(band(k, Arrays.copyOf(values, n)));
        }
      }
      out.put(strategy, bands);
    }
    return out;
  }

  /** Per strategy: the band over its seeds at {@code points} training times from 0 to the longest study's total. */
  public static Map<String, List<Band>> timeBands(RunData run, int points) {
    double maxSeconds = 0;
    Map<Long, double[][]> curves = new LinkedHashMap<>();
    for (StudyRecord s : run.studies()) {
      List<TrialRecord> trials = run.trialsByStudy().getOrDefault(s.id(), List.of());
      double[] best = byTrial(trials, run.direction());
      double[] secs = cumulativeSeconds(trials);
      curves.put(s.id(), new double[][] {best, secs});
      if (secs.length > 0) {
        maxSeconds = Math.max(maxSeconds, secs[secs.length - 1]);
      }
    }
    Map<String, List<Band>> out = new LinkedHashMap<>();
    for (String strategy : run.strategies()) {
      List<Band> bands = new ArrayList<>();
      for (int i = 1; i <= points && maxSeconds > 0; i++) {
        double t = maxSeconds * i / points;
        double[] values = new double[run.studies().size()];
        int n = 0;
        for (StudyRecord s : run.studies()) {
          if (s.strategy().equals(strategy)) {
            double[][] c = curves.get(s.id());
            double v = atTime(c[0], c[1], t);
            if (!Double.isNaN(v)) {
              values[n++] = v;
            }
          }
        }
        if (n > 0) {
          bands.add(band(t, Arrays.copyOf(values, n)));
        }
      }
      out.put(strategy, bands);
    }
    return out;
  }

  static Band band(double x, double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return new Band(x, Quantiles.type7(v, 0.5), Quantiles.type7(v, 0.25), Quantiles.type7(v, 0.75), v.length);
  }

}
