package dev.strata.search.importance;

import dev.strata.search.space.Dimension;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parameter importance by PED-ANOVA (Watanabe, Bansal and Hutter, "PED-ANOVA: Efficiently
 * Quantifying Hyperparameter Importance in Arbitrary Subspaces", IJCAI 2023): a parameter matters
 * as much as the values of the best trials are distributed differently from those of all trials.
 *
 * <p>For each flat dimension of the space (repeat slots such as {@code blocks/1/width} included),
 * over the finished trials in which it is active: {@code p_top} is the density of its values
 * among the best {@code quantile} of those trials by loss (at least 2 trials) and {@code p_all}
 * among all of them. The importance is the Pearson divergence {@code ∫ p_all·(p_top/p_all − 1)²},
 * normalised so that the importances sum to 1 (all 0 when nothing differs).
 *
 * <ul>
 *   <li>categorical: {@code p(k) = (count(k) + ½)/(n + ½·K)} over the {@code K} choices; likewise
 *       an integer or stepped dimension with at most 50 values (a repeat count, a layer count);
 *   <li>other numbers, in unit space (a log scale in the logarithm): Gaussian kernel densities
 *       evaluated at 50 cell centres of [0, 1] and normalised over them, both with the width of
 *       the best values by Scott's rule {@code 1.06·sd·n^(−1/5)} (at least 1/50). One width for
 *       both keeps {@code p_top/p_all} bounded by {@code n_all/n_top} (every best value is also
 *       among all values); with each set's own width the narrower all-trials density made the
 *       ratio explode in the tails.
 * </ul>
 *
 * A dimension active in fewer than 2 of the best trials scores 0. Stateless and thread-safe.
 */
public final class PedAnova {

  /** The default share of trials that counts as "best": Optuna's and the paper's 10%. */
  public static final double DEFAULT_QUANTILE = 0.1;

  private static final int GRID = 50;

  private PedAnova() {}

  /**
   * Importances of the space's dimensions (by path), largest first, summing to 1 unless all are 0.
   *
   * @param configurations finished trials of the space
   * @param losses their losses (smaller is better), one per configuration; non-finite ones are
   *     left out
   * @throws IllegalArgumentException for mismatched lengths or a quantile outside (0, 1]
   */
  public static Map<String, Double> importances(SearchSpace space, List<Configuration> configurations,
      double[] losses, double quantile) {
    Objects.requireNonNull(space, "space");
    if (configurations.size() != losses.length) {
      throw new IllegalArgumentException(configurations.size() + " configurations but " + losses.length + " losses");
    }
    if (!(quantile > 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1], got " + quantile);
    }
    List<double[]> units = new ArrayList<>();
    List<Double> kept = new ArrayList<>();
    for (int i = 0; i < losses.length; i++) {
      if (Double.isFinite(losses[i])) {
        units.add(space.encode(configurations.get(i)));
        kept.add(losses[i]);
      }
    }
    Integer[] order = new Integer[units.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> kept.get(i)).thenComparingInt(i -> i));
    List<Dimension> dims = space.dimensions();
    double[] raw = new double[dims.size()];
    double total = 0;
    for (int d = 0; d < dims.size(); d++) {
      double[] all = new double[order.length];
      int n = 0;
      for (Integer i : order) {
        double u = units.get(i)[d];
        if (!Double.isNaN(u)) {
          all[n++] = u; // in loss order, so the best come first
        }
      }
      int top = Math.max(2, (int) Math.ceil(quantile * n));
      if (n < 2 || top > n) {
        continue;
      }
      double[] best = Arrays.copyOf(all, top);
      double[] everything = Arrays.copyOf(all, n);
      raw[d] = divergence(dims.get(d), best, everything);
      total += raw[d];
    }
    Integer[] rank = new Integer[dims.size()];
    for (int d = 0; d < rank.length; d++) {
      rank[d] = d;
    }
    Arrays.sort(rank, Comparator.comparingDouble((Integer d) -> -raw[d]).thenComparingInt(d -> d));
    Map<String, Double> out = new LinkedHashMap<>();
    for (int d : rank) {
      out.put(dims.get(d).path(), total > 0 ? raw[d] / total : 0.0);
    }
    return out;
  }

  /** The Pearson divergence of the best values' density from all values' density. */
  static double divergence(Dimension d, double[] best, double[] all) {
    double[] pTop;
    double[] pAll;
    int cells = cells(d);
    if (cells > 0) {
      pTop = categorical(d, best, cells);
      pAll = categorical(d, all, cells);
    } else {
      double h = bandwidth(best);
      pTop = kde(best, h);
      pAll = kde(all, h);
    }
    double sum = 0;
    for (int k = 0; k < pAll.length; k++) {
      if (pAll[k] > 0) {
        double r = pTop[k] / pAll[k] - 1;
        sum += pAll[k] * r * r;
      }
    }
    return sum;
  }

  private static double[] categorical(Dimension d, double[] units, int k) {
    double[] p = new double[k];
    Arrays.fill(p, 0.5);
    for (double u : units) {
      p[(int) d.indexAt(u)] += 1;
    }
    double sum = units.length + 0.5 * k;
    for (int c = 0; c < k; c++) {
      p[c] /= sum;
    }
    return p;
  }

  /**
   * The number of values of a categorical dimension, or of an integer or stepped dimension with at
   * most {@value #GRID} values (counted like categories); 0 for the continuous rest.
   */
  private static int cells(Dimension d) {
    long m = d.kind() == Dimension.Kind.CATEGORICAL || !d.log() ? d.valueCount() : 0;
    return d.kind() == Dimension.Kind.CATEGORICAL || m <= GRID ? (int) m : 0;
  }


  /** Scott's rule on the best values, at least one grid cell. */
  private static double bandwidth(double[] units) {
    int n = units.length;
    double mean = 0;
    for (double u : units) {
      mean += u;
    }
    mean /= n;
    double var = 0;
    for (double u : units) {
      var += (u - mean) * (u - mean);
    }
    double sd = Math.sqrt(var / Math.max(1, n - 1));
    return Math.max(1.0 / GRID, 1.06 * sd * Math.pow(n, -0.2));
  }

  /** A Gaussian kernel density of width {@code h} at the {@value #GRID} cell centres of [0, 1], summing to 1. */
  private static double[] kde(double[] units, double h) {
    double[] p = new double[GRID];
    double sum = 0;
    for (int g = 0; g < GRID; g++) {
      double x = (g + 0.5) / GRID;
      double s = 0;
      for (double u : units) {
        double z = (x - u) / h;
        s += Math.exp(-0.5 * z * z);
      }
      p[g] = s;
      sum += s;
    }
    for (int g = 0; g < GRID; g++) {
      p[g] /= sum;
    }
    return p;
  }
}
