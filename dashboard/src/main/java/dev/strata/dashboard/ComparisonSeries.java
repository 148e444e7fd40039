package dev.strata.dashboard;

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
 * Best-so-far curves of each study and their spread per strategy over seeds. Stateless and
 * thread-safe.
 *
 * <p>For a study, its finished trials ({@link TrialStatus#isFinished()}) in index order are
 * numbered k = 1, 2, ...; {@code best(k)} is the best objective value among the COMPLETED ones of
 * the first k (better according to the {@link Direction}), undefined before the first COMPLETED
 * trial. Failed, diverged, rejected and pruned trials advance k (they cost a trial) but never set
 * the best. On the time axis, trial k ends at {@code t(k) = trainSeconds(1) + ... +
 * trainSeconds(k)}, and {@code best(t)} is {@code best(k)} for the largest k with {@code t(k) <= t}.
 *
 * <p>For a strategy, at each x of a common grid, the values {@code best_s(x)} of its seeds s that
 * have reached x (k >= x, or t(last) >= x) and have a defined best are summarised by their median
 * and quartiles: with the n values sorted, v(0) <= ... <= v(n-1), the p-quantile is {@code
 * v(⌊h⌋) + (h - ⌊h⌋)(v(⌊h⌋+1) - v(⌊h⌋))} with {@code h = (n-1)p} (linear interpolation, the
 * default of R and NumPy). The median is p = 0.5, the quartiles p = 0.25 and p = 0.75. The grid is
 * every trial index up to {@value #MAX_POINTS} points (then evenly thinned) and {@value
 * #MAX_POINTS} even steps on the time axis.
 */
public final class ComparisonSeries {

  /** The most points a series has. */
  public static final int MAX_POINTS = 400;

  private ComparisonSeries() {}

  /** One study's best-so-far curve: {@code best[i]} at trial number {@code i + 1}, ending at {@code seconds[i]}. */
  public record StudyCurve(StudyRecord study, double[] best, double[] seconds) {

    /** The number of finished trials. */
    public int trials() {
      return best.length;
    }

    /** The training seconds spent on finished trials. */
    public double totalSeconds() {
      return seconds.length == 0 ? 0 : seconds[seconds.length - 1];
    }

    /** best(k) for trial number k >= 1 (NaN when undefined or not reached). */
    public double atTrial(int k) {
      return k >= 1 && k <= best.length ? best[k - 1] : Double.NaN;
    }

    /** best(t): NaN when no trial ended by t or t is past the study's last trial. */
    public double atSeconds(double t) {
      if (best.length == 0 || t > totalSeconds() + 1e-9) {
        return Double.NaN;
      }
      int i = Arrays.binarySearch(seconds, t);
      if (i < 0) {
        i = -i - 2; // the last index with seconds <= t
      } else {
        while (i + 1 < seconds.length && seconds[i + 1] == t) {
          i++;
        }
      }
      return i < 0 ? Double.NaN : best[i];
    }
  }

  /** A strategy's summary over seeds at each x: NaN where no seed has a value. */
  public record Band(String strategy, List<Long> seeds, double[] x, double[] median, double[] q1, double[] q3, int[] n) {}

  /** The best-so-far curve of each study, from its trials (any order, any study: those of others are ignored). */
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
      list.sort(Comparator.comparingInt(TrialRecord::index).thenComparingLong(TrialRecord::id));
      double[] best = new double[list.size()];
      double[] seconds = new double[list.size()];
      double b = Double.NaN;
      double t = 0;
      for (int i = 0; i < list.size(); i++) {
        TrialRecord r = list.get(i);
        if (r.status() == TrialStatus.COMPLETED && Double.isFinite(r.value())
            && (Double.isNaN(b) || direction.isBetter(r.value(), b))) {
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

  /** Per strategy (in order of first appearance), the spread over seeds versus trial number. */
  public static List<Band> byTrials(List<StudyCurve> curves) {
    int maxTrials = curves.stream().mapToInt(StudyCurve::trials).max().orElse(0);
    double[] grid = trialGrid(maxTrials);
    return bands(curves, grid, (c, x) -> c.atTrial((int) x));
  }

  /** Per strategy, the spread over seeds versus cumulative training seconds. */
  public static List<Band> bySeconds(List<StudyCurve> curves) {
    double maxSeconds = curves.stream().mapToDouble(StudyCurve::totalSeconds).max().orElse(0);
    double[] grid;
    if (maxSeconds <= 0) {
      grid = new double[0];
    } else {
      grid = new double[MAX_POINTS];
      for (int i = 0; i < MAX_POINTS; i++) {
        grid[i] = maxSeconds * (i + 1) / MAX_POINTS;
      }
    }
    return bands(curves, grid, StudyCurve::atSeconds);
  }

  static double[] trialGrid(int maxTrials) {
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
        int m = 0;
        for (StudyCurve c : list) {
          double v = sampler.at(c, grid[i]);
          if (!Double.isNaN(v)) {
            values[m++] = v;
          }
        }
        double[] sorted = Arrays.copyOf(values, m);
        Arrays.sort(sorted);
        med[i] = Quantiles.type7(sorted, 0.5);
        lo[i] = Quantiles.type7(sorted, 0.25);
        hi[i] = Quantiles.type7(sorted, 0.75);
        n[i] = m;
      }
      List<Long> seeds = list.stream().map(c -> c.study().seed()).toList();
      out.add(new Band(strategy, seeds, grid.clone(), med, lo, hi, n));
    });
    return out;
  }

}
