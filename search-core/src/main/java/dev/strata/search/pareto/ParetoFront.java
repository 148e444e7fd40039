package dev.strata.search.pareto;

import dev.strata.search.trial.Goal;
import java.util.ArrayList;
import java.util.List;

/**
 * The non-dominated points of a set of loss vectors (every component minimised): point {@code a}
 * dominates {@code b} when it is no worse in every component and better in at least one. Equal
 * points do not dominate each other, so duplicates of a front point are all on the front.
 *
 * <p>One definition for the run's Pareto front, shared by the multi-objective strategies' tests,
 * {@code strata status}, {@code compare} and the report. Two objectives take one sort and a sweep
 * ({@code O(n log n)}, so a run of 100,000 trials stays fast); more are compared pairwise
 * ({@code O(n²)}). Stateless and thread-safe.
 */
public final class ParetoFront {

  private ParetoFront() {}

  /** Whether {@code a} dominates {@code b} (both losses, same length). */
  public static boolean dominates(double[] a, double[] b) {
    boolean better = false;
    for (int k = 0; k < a.length; k++) {
      if (a[k] > b[k]) {
        return false;
      }
      better |= a[k] < b[k];
    }
    return better;
  }

  /** The indices of the non-dominated points, ascending. Points with a NaN component are skipped. */
  public static List<Integer> indices(List<double[]> losses) {
    if (!losses.isEmpty() && losses.getFirst().length == 2) {
      return indices2(losses);
    }
    return pairwise(losses);
  }

  /**
   * Two objectives: sorted by the first loss, then the second; within a group of equal first
   * losses only the smallest second loss can be on the front, and it is unless a point of an
   * earlier group (a smaller first loss) has a second loss at most as large.
   */
  static List<Integer> indices2(List<double[]> losses) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      if (!hasNaN(losses.get(i))) {
        order.add(i);
      }
    }
    order.sort((a, b) -> {
      int c = Double.compare(losses.get(a)[0], losses.get(b)[0]);
      return c != 0 ? c : Double.compare(losses.get(a)[1], losses.get(b)[1]);
    });
    List<Integer> out = new ArrayList<>();
    double bestBefore = Double.POSITIVE_INFINITY;
    int g = 0;
    while (g < order.size()) {
      double first = losses.get(order.get(g))[0];
      double groupMin = losses.get(order.get(g))[1];
      int end = g;
      while (end < order.size() && losses.get(order.get(end))[0] == first) {
        if (losses.get(order.get(end))[1] == groupMin && bestBefore > groupMin) {
          out.add(order.get(end));
        }
        end++;
      }
      bestBefore = Math.min(bestBefore, groupMin);
      g = end;
    }
    out.sort(Integer::compare);
    return out;
  }

  /** Any number of objectives, every pair compared. */
  static List<Integer> pairwise(List<double[]> losses) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      double[] p = losses.get(i);
      if (hasNaN(p)) {
        continue;
      }
      boolean dominated = false;
      for (int j = 0; j < losses.size() && !dominated; j++) {
        dominated = j != i && !hasNaN(losses.get(j)) && dominates(losses.get(j), p);
      }
      if (!dominated) {
        out.add(i);
      }
    }
    return out;
  }

  /** The losses of values under these goals: {@code direction.toLoss(value)} per component. */
  public static double[] losses(List<Goal> goals, double[] values) {
    double[] out = new double[goals.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = goals.get(k).direction().toLoss(values[k]);
    }
    return out;
  }

  private static boolean hasNaN(double[] p) {
    for (double v : p) {
      if (Double.isNaN(v)) {
        return true;
      }
    }
    return false;
  }
}
