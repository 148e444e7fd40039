package dev.strata.runs;

import dev.strata.common.Quantiles;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one best-so-far of Strata: the curve of each study and their spread per strategy over seeds,
 * drawn alike by {@code strata compare}, {@code strata report} and the dashboard. Stateless and
 * thread-safe.
 *
 * <p><b>Ordering.</b> A study's finished trials ({@link TrialStatus#isFinished()}) are taken in
 * <em>trial index order</em> (the order the strategy proposed them; id breaks ties), never in the
 * order they finished: with {@code parallel > 1} trials finish out of order, and the index order
 * is the one that does not depend on timing, so a run, its resume and every view of it draw the
 * same curve. They are numbered k = 1, 2, ...; {@code best(k)} is the best value among the
 * feasible COMPLETED trials with a finite value of the first k (better according to the {@link
 * Direction}), undefined (NaN) before the first one. Failed, diverged, rejected, interrupted and
 * pruned trials advance k (they cost a trial) but never set the best; nor does a COMPLETED trial
 * that breaks a constraint on a trained metric ({@link TrialRecord#isFeasible()}: the study judged
 * it and the store keeps its violation and reason), however good its value. On the time axis, trial k ends at {@code
 * t(k) = trainSeconds(1) + ... + trainSeconds(k)} (negative or non-finite seconds count 0), and
 * {@code best(t)} is {@code best(k)} for the largest k with {@code t(k) <= t}. Past a study's last
 * finished trial its curve keeps its last value: the study knows nothing better.
 *
 * <p><b>Over seeds.</b> For a strategy, at each x of a common grid, the values {@code best_s(x)}
 * of its seeds s are summarised by their median and quartiles ({@link Quantiles#type7}: p = 0.5,
 * 0.25, 0.75), <em>only from the first x where every seed of the strategy has a value</em>; before
 * that the summary is NaN. Since every seed's curve only improves and the set of seeds is the same
 * at every point, the median and the quartiles never get worse as x grows. The grid is every trial
 * number up to {@value #MAX_POINTS} points (then evenly thinned), and {@value #MAX_POINTS} even
 * steps of training time up to the longest study's total.
 */
public final class BestSoFar {

  /** The most points a default grid has. */
  public static final int MAX_POINTS = 400;

  private BestSoFar() {}

  /** Whether a trial can set the best: COMPLETED with a finite value, and feasible. */
  public static boolean counts(TrialRecord t) {
    return t.status() == TrialStatus.COMPLETED && Double.isFinite(t.value()) && t.isFeasible();
  }

  /**
   * One study's best-so-far: {@code best[i]} after finished trial number {@code i + 1} (index
   * order), which ended at {@code seconds[i]} of cumulative training time.
   */
  public record StudyCurve(StudyRecord study, double[] best, double[] seconds) {

    /** The number of finished trials. */
    public int trials() {
      return best.length;
    }

    /** The training seconds spent on finished trials. */
    public double totalSeconds() {
      return seconds.length == 0 ? 0 : seconds[seconds.length - 1];
    }

    /** best(k) for trial number k >= 1; the last value past the last trial; NaN when undefined. */
    public double atTrial(int k) {
      return k >= 1 && best.length > 0 ? best[Math.min(k, best.length) - 1] : Double.NaN;
    }

    /** best(t); the last value past the study's total; NaN when no trial ended by t. */
    public double atSeconds(double t) {
      if (best.length == 0) {
        return Double.NaN;
      }
      int i = Arrays.binarySearch(seconds, t + 1e-9);
      if (i < 0) {
        i = -i - 2; // the last index with seconds <= t
      } else {
        while (i + 1 < seconds.length && seconds[i + 1] == seconds[i]) {
          i++;
        }
      }
      return i < 0 ? Double.NaN : best[i];
    }
  }

  /** One point of a {@link Band}. */
  public record Point(double x, double median, double q1, double q3, int n) {
    /** The inter-quartile range {@code q3 - q1}. */
    public double iqr() {
      return q3 - q1;
    }
  }

  /**
   * A strategy's summary over its seeds at each x: NaN (and {@code n = 0}) before every seed has
   * a value.
   *
   * @param n the number of seeds summarised at each x (all of them, or 0)
   */
  public record Band(String strategy, List<Long> seeds, double[] x, double[] median, double[] q1, double[] q3, int[] n) {

    /** The point at grid index i. */
    public Point point(int i) {
      return new Point(x[i], median[i], q1[i], q3[i], n[i]);
    }

    /** The points where the summary is defined, in x order. */
    public List<Point> defined() {
      List<Point> out = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        if (n[i] > 0) {
          out.add(point(i));
        }
      }
      return out;
    }
  }

  /**
   * The best-so-far curve of each study, in the order of {@code studies}, from the trials (any
   * order; trials of other studies and unfinished ones are ignored).
   */
  public static List<StudyCurve> curves(List<StudyRecord> studies, List<TrialRecord> trials, Direction direction) {
    Map<Long, List<TrialRecord>> byStudy = new LinkedHashMap<>();
    studies.forEach(s -> byStudy.put(s.id(), new ArrayList<>()));
    for (TrialRecord t : trials) {
      List<TrialRecord> list = byStudy.get(t.studyId());
      if (list != null && t.status().isFinished()) {
        list.add(t);
      }
    }
    List<StudyCurve> out = new ArrayList<>();
    for (StudyRecord s : studies) {
      List<TrialRecord> list = byStudy.get(s.id());
      list.sort(ORDER);
      double[] best = new double[list.size()];
      double[] seconds = new double[list.size()];
      double b = Double.NaN;
      double t = 0;
      for (int i = 0; i < list.size(); i++) {
        TrialRecord r = list.get(i);
        if (counts(r) && (Double.isNaN(b) || direction.isBetter(r.value(), b))) {
          b = r.value();
        }
        double spent = r.trainSeconds();
        t += Double.isFinite(spent) && spent > 0 ? spent : 0;
        best[i] = b;
        seconds[i] = t;
      }
      out.add(new StudyCurve(s, best, seconds));
    }
    return out;
  }

  /** The one order of a study's trials: index, then id. */
  public static final Comparator<TrialRecord> ORDER =
      Comparator.comparingInt(TrialRecord::index).thenComparingLong(TrialRecord::id);

  /** Per strategy (in order of first appearance), the spread over seeds versus trial number. */
  public static List<Band> byTrials(List<StudyCurve> curves) {
    int maxTrials = curves.stream().mapToInt(StudyCurve::trials).max().orElse(0);
    return byTrials(curves, trialGrid(maxTrials));
  }

  /** Per strategy, the spread over seeds at the given trial numbers (each &ge; 1). */
  public static List<Band> byTrials(List<StudyCurve> curves, double[] grid) {
    return bands(curves, grid, (c, x) -> c.atTrial((int) x));
  }

  /** Per strategy, the spread over seeds versus cumulative training seconds, at {@value #MAX_POINTS} points. */
  public static List<Band> bySeconds(List<StudyCurve> curves) {
    return bySeconds(curves, MAX_POINTS);
  }

  /** Per strategy, the spread over seeds at {@code points} even steps of training time. */
  public static List<Band> bySeconds(List<StudyCurve> curves, int points) {
    double maxSeconds = curves.stream().mapToDouble(StudyCurve::totalSeconds).max().orElse(0);
    double[] grid;
    if (maxSeconds <= 0) {
      grid = new double[0];
    } else {
      grid = new double[points];
      for (int i = 0; i < points; i++) {
        grid[i] = maxSeconds * (i + 1) / points;
      }
    }
    return bands(curves, grid, StudyCurve::atSeconds);
  }

  /** Trial numbers 1..maxTrials, evenly thinned to {@value #MAX_POINTS} when longer. */
  public static double[] trialGrid(int maxTrials) {
    if (maxTrials <= MAX_POINTS) {
      double[] g = new double[maxTrials];
      for (int i = 0; i < maxTrials; i++) {
        g[i] = i + 1;
      }
      return g;
    }
    double[] g = new double[MAX_POINTS];
    for (int i = 0; i < MAX_POINTS; i++) {
      g[i] = Math.max(1, Math.round((double) maxTrials * (i + 1) / MAX_POINTS));
    }
    return g;
  }

  private interface Sampler {
    double at(StudyCurve curve, double x);
  }

  private static List<Band> bands(List<StudyCurve> curves, double[] grid, Sampler sampler) {
    Map<String, List<StudyCurve>> byStrategy = new LinkedHashMap<>();
    curves.forEach(c -> byStrategy.computeIfAbsent(c.study().strategy(), k -> new ArrayList<>()).add(c));
    List<Band> out = new ArrayList<>();
    byStrategy.forEach((strategy, list) -> {
      double[] med = new double[grid.length];
      double[] lo = new double[grid.length];
      double[] hi = new double[grid.length];
      int[] n = new int[grid.length];
      double[] values = new double[list.size()];
      for (int i = 0; i < grid.length; i++) {
        boolean all = true;
        for (int s = 0; s < list.size() && all; s++) {
          values[s] = sampler.at(list.get(s), grid[i]);
          all = !Double.isNaN(values[s]);
        }
        if (!all) {
          med[i] = lo[i] = hi[i] = Double.NaN;
          continue;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        med[i] = Quantiles.type7(sorted, 0.5);
        lo[i] = Quantiles.type7(sorted, 0.25);
        hi[i] = Quantiles.type7(sorted, 0.75);
        n[i] = sorted.length;
      }
      List<Long> seeds = list.stream().map(c -> c.study().seed()).toList();
      out.add(new Band(strategy, seeds, grid.clone(), med, lo, hi, n));
    });
    return out;
  }
}
