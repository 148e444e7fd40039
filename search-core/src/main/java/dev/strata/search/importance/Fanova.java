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
import java.util.SplittableRandom;

/**
 * Parameter importance by fANOVA on a random forest (Hutter, Hoos and Leyton-Brown, "An Efficient
 * Approach for Assessing Hyperparameter Importance", ICML 2014), first-order effects: the share of
 * the variance of the fitted loss over the whole space that each parameter explains alone.
 *
 * <p><b>Forest.</b> {@value #TREES} regression trees on the trials' unit vectors ({@link
 * SearchSpace#encode}; a categorical as the unit cell of its choice, split as if ordinal; an
 * inactive dimension, such as a repeat slot beyond the count, as 0), each grown on a bootstrap
 * sample by variance reduction over every dimension (thresholds midway between distinct values),
 * until a node has fewer than {@value #MIN_SPLIT} trials or {@value #MAX_DEPTH} levels. The
 * forest's randomness is the seed's; the same trials give the same importances.
 *
 * <p><b>Decomposition.</b> A tree is a partition of the unit cube into boxes {@code B_l} with
 * values {@code v_l}. Under the uniform measure its mean is {@code μ = Σ v_l |B_l|} and its
 * variance {@code V = Σ |B_l| (v_l − μ)²}. The marginal of dimension {@code i} at {@code x} is
 * {@code f_i(x) = Σ_{l: x ∈ B_l,i} v_l |B_l| / |B_l,i|} (the mean over every other dimension),
 * computed by a sweep over the boxes' edges along {@code i}, and its variance share is {@code
 * V_i / V} with {@code V_i = ∫ (f_i(x) − μ)² dx}. A parameter's importance is its share averaged
 * over the trees (trees with {@code V = 0} left out), normalised so that the importances sum to 1
 * (all 0 when nothing varies). Stateless and thread-safe.
 */
public final class Fanova {

  static final int TREES = 32;
  static final int MIN_SPLIT = 4;
  static final int MAX_DEPTH = 24;

  private Fanova() {}

  /**
   * Importances of the space's dimensions (by path), largest first, summing to 1 unless all are 0.
   *
   * @param losses one per configuration (smaller is better); non-finite ones are left out
   * @throws IllegalArgumentException for mismatched lengths
   */
  public static Map<String, Double> importances(SearchSpace space, List<Configuration> configurations,
      double[] losses, long seed) {
    Objects.requireNonNull(space, "space");
    if (configurations.size() != losses.length) {
      throw new IllegalArgumentException(configurations.size() + " configurations but " + losses.length + " losses");
    }
    List<Dimension> dims = space.dimensions();
    int d = dims.size();
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < losses.length; i++) {
      if (Double.isFinite(losses[i])) {
        double[] u = space.encode(configurations.get(i));
        for (int k = 0; k < u.length; k++) {
          u[k] = Double.isNaN(u[k]) ? 0 : u[k];
        }
        xs.add(u);
        ys.add(losses[i]);
      }
    }
    double[] share = new double[d];
    int counted = 0;
    if (xs.size() >= 2 && d > 0) {
      double[][] x = xs.toArray(double[][]::new);
      double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
      SplittableRandom random = new SplittableRandom(seed);
      for (int t = 0; t < TREES; t++) {
        int[] sample = new int[x.length];
        for (int i = 0; i < sample.length; i++) {
          sample[i] = random.nextInt(x.length);
        }
        List<Box> leaves = new ArrayList<>();
        double[] lo = new double[d];
        double[] hi = new double[d];
        Arrays.fill(hi, 1.0);
        grow(x, y, sample, lo, hi, 0, leaves);
        double[] s = shares(leaves, d);
        if (s != null) {
          for (int k = 0; k < d; k++) {
            share[k] += s[k];
          }
          counted++;
        }
      }
    }
    double total = 0;
    for (int k = 0; k < d; k++) {
      share[k] = counted == 0 ? 0 : share[k] / counted;
      total += share[k];
    }
    Integer[] order = new Integer[d];
    for (int k = 0; k < d; k++) {
      order[k] = k;
    }
    double sum = total;
    Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -share[k]).thenComparingInt(k -> k));
    Map<String, Double> out = new LinkedHashMap<>();
    for (int k : order) {
      out.put(dims.get(k).path(), sum > 0 ? share[k] / sum : 0.0);
    }
    return out;
  }

  /** One leaf: its box and the mean loss of its trials. */
  private record Box(double[] lo, double[] hi, double value) {
    double volume() {
      double v = 1;
      for (int k = 0; k < lo.length; k++) {
        v *= hi[k] - lo[k];
      }
      return v;
    }
  }

  /** Grows a regression tree over the rows {@code rows} inside the box [lo, hi], adding its leaves. */
  private static void grow(double[][] x, double[] y, int[] rows, double[] lo, double[] hi, int depth,
      List<Box> leaves) {
    double mean = 0;
    for (int r : rows) {
      mean += y[r];
    }
    mean /= rows.length;
    int bestDim = -1;
    double bestThreshold = 0;
    double bestGain = 1e-12;
    if (rows.length >= MIN_SPLIT && depth < MAX_DEPTH) {
      double sse = 0;
      for (int r : rows) {
        sse += (y[r] - mean) * (y[r] - mean);
      }
      long[] keys = new long[rows.length];
      int[] sorted = new int[rows.length];
      for (int k = 0; k < lo.length; k++) {
        final int dim = k;
        // unit values are in [0, 1]: sort (value quantised to 2^-30, row) packed into one long
        for (int i = 0; i < rows.length; i++) {
          keys[i] = ((long) (x[rows[i]][dim] * (1 << 30)) << 32) | rows[i];
        }
        Arrays.sort(keys);
        for (int i = 0; i < rows.length; i++) {
          sorted[i] = (int) keys[i];
        }
        double leftSum = 0;
        double leftSq = 0;
        double totalSum = mean * rows.length;
        double totalSq = sse + mean * mean * rows.length;
        for (int i = 0; i < rows.length - 1; i++) {
          double v = y[sorted[i]];
          leftSum += v;
          leftSq += v * v;
          double a = x[sorted[i]][dim];
          double b = x[sorted[i + 1]][dim];
          if (b <= a) {
            continue;
          }
          int nl = i + 1;
          int nr = rows.length - nl;
          double rightSum = totalSum - leftSum;
          double rightSq = totalSq - leftSq;
          double child = (leftSq - leftSum * leftSum / nl) + (rightSq - rightSum * rightSum / nr);
          double gain = sse - child;
          if (gain > bestGain) {
            bestGain = gain;
            bestDim = dim;
            bestThreshold = (a + b) / 2;
          }
        }
      }
    }
    if (bestDim < 0) {
      leaves.add(new Box(lo.clone(), hi.clone(), mean));
      return;
    }
    int nl = 0;
    for (int r : rows) {
      if (x[r][bestDim] < bestThreshold) {
        nl++;
      }
    }
    int[] left = new int[nl];
    int[] right = new int[rows.length - nl];
    int li = 0;
    int ri = 0;
    for (int r : rows) {
      if (x[r][bestDim] < bestThreshold) {
        left[li++] = r;
      } else {
        right[ri++] = r;
      }
    }
    double savedHi = hi[bestDim];
    hi[bestDim] = bestThreshold;
    grow(x, y, left, lo, hi, depth + 1, leaves);
    hi[bestDim] = savedHi;
    double savedLo = lo[bestDim];
    lo[bestDim] = bestThreshold;
    grow(x, y, right, lo, hi, depth + 1, leaves);
    lo[bestDim] = savedLo;
  }

  /** Each dimension's first-order variance share of one tree, or null when the tree is constant. */
  private static double[] shares(List<Box> leaves, int d) {
    double mu = 0;
    for (Box b : leaves) {
      mu += b.value() * b.volume();
    }
    double variance = 0;
    for (Box b : leaves) {
      variance += b.volume() * (b.value() - mu) * (b.value() - mu);
    }
    if (!(variance > 1e-15)) {
      return null;
    }
    double[] out = new double[d];
    for (int k = 0; k < d; k++) {
      // events: at lo the leaf's contribution v|B|/|B_k| starts, at hi it stops
      int n = leaves.size();
      double[][] events = new double[2 * n][];
      for (int l = 0; l < n; l++) {
        Box b = leaves.get(l);
        double width = b.hi()[k] - b.lo()[k];
        double c = width > 0 ? b.value() * b.volume() / width : 0;
        events[2 * l] = new double[] {b.lo()[k], c};
        events[2 * l + 1] = new double[] {b.hi()[k], -c};
      }
      Arrays.sort(events, Comparator.comparingDouble(e -> e[0]));
      double f = 0;
      double vk = 0;
      for (int e = 0; e < events.length; e++) {
        f += events[e][1];
        double next = e + 1 < events.length ? events[e + 1][0] : 1.0;
        double len = next - events[e][0];
        if (len > 0) {
          vk += len * (f - mu) * (f - mu);
        }
      }
      out[k] = vk / variance;
    }
    return out;
  }
}
