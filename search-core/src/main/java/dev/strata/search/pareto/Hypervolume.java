package dev.strata.search.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The hypervolume of a set of loss vectors (every component minimised): the measure of the region
 * dominated by at least one point and bounded by a reference point {@code r},
 * <pre>  HV(P, r) = λ( ∪_{p ∈ P, p < r} [p₁, r₁] × … × [p_m, r_m] )</pre>
 * Points not strictly better than {@code r} in every component add nothing. Larger is better; it
 * grows with both the front's quality and its spread, and is the one figure multi-objective
 * strategies are compared by.
 *
 * <p>Exact: one objective is {@code r − min p}; two are a sweep over the points sorted by the
 * first loss ({@code O(n log n)}); more are computed by slicing along the last objective
 * (hypervolume by slicing objectives, {@code O(n^{m−1})}), which suits the few objectives of a
 * search. {@link #normalized} scales every axis to [0, 1] first so that metrics of different
 * units (an accuracy, a parameter count) weigh alike. Stateless and thread-safe.
 */
public final class Hypervolume {

  private Hypervolume() {}

  /** The hypervolume of {@code losses} against {@code reference}. */
  public static double of(List<double[]> losses, double[] reference) {
    List<double[]> points = new ArrayList<>();
    for (double[] p : losses) {
      if (p.length != reference.length) {
        throw new IllegalArgumentException("a point has " + p.length + " components, the reference " + reference.length);
      }
      boolean inside = true;
      for (int k = 0; k < p.length && inside; k++) {
        inside = p[k] < reference[k];
      }
      if (inside) {
        points.add(p);
      }
    }
    return slice(points, reference, reference.length);
  }

  /**
   * The hypervolume after mapping every axis to [0, 1] by {@code (loss − ideal)/(nadir − ideal)},
   * against the reference point 1 + {@code margin} on each axis (e.g. {@code 0.1}); so the most
   * a front can reach is {@code (1 + margin)^m}.
   *
   * @param ideal the best loss per component (e.g. the smallest seen in any run compared)
   * @param nadir the worst loss per component that still counts (larger than {@code ideal})
   */
  public static double normalized(List<double[]> losses, double[] ideal, double[] nadir, double margin) {
    List<double[]> scaled = new ArrayList<>(losses.size());
    for (double[] p : losses) {
      double[] s = new double[p.length];
      for (int k = 0; k < p.length; k++) {
        double span = nadir[k] - ideal[k];
        s[k] = (p[k] - ideal[k]) / (span > 0 ? span : 1);
      }
      scaled.add(s);
    }
    double[] r = new double[ideal.length];
    Arrays.fill(r, 1 + margin);
    return of(scaled, r);
  }

  /** The hypervolume of points (all inside the box) in the first {@code m} components. */
  private static double slice(List<double[]> points, double[] r, int m) {
    if (points.isEmpty()) {
      return 0;
    }
    if (m == 1) {
      double min = Double.POSITIVE_INFINITY;
      for (double[] p : points) {
        min = Math.min(min, p[0]);
      }
      return r[0] - min;
    }
    if (m == 2) {
      List<double[]> sorted = new ArrayList<>(points);
      sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
      double volume = 0;
      double lastY = r[1];
      for (double[] p : sorted) {
        if (p[1] < lastY) {
          volume += (r[0] - p[0]) * (lastY - p[1]);
          lastY = p[1];
        }
      }
      return volume;
    }
    // slice along component m-1: between consecutive levels, the (m-1)-D volume of the points below
    List<double[]> sorted = new ArrayList<>(points);
    int last = m - 1;
    sorted.sort(Comparator.comparingDouble(p -> p[last]));
    double volume = 0;
    List<double[]> below = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      below.add(sorted.get(i));
      double next = i + 1 < sorted.size() ? sorted.get(i + 1)[last] : r[last];
      double depth = next - sorted.get(i)[last];
      if (depth > 0) {
        volume += depth * slice(below, r, m - 1);
      }
    }
    return volume;
  }
}
