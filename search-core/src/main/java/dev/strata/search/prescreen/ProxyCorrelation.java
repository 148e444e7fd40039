package dev.strata.search.prescreen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How well each zero-cost proxy ranked the trials that trained: Spearman's rank correlation ρ
 * (Commons Math {@link SpearmansCorrelation}: Pearson's r of the ranks, ties at their mean rank)
 * between a proxy's score and the trained objective value, over the trials in the order given, and
 * the running ρ after each trial (the first {@value #MIN_TRIALS} excepted), thinned to at most
 * {@code points} points. A trial without a proxy's score, or with a non-finite value, is left out
 * of that proxy's ρ; negative infinity is a score (the lowest rank), NaN is not. The one
 * definition the dashboard and the benchmarks use. Stateless.
 */
public final class ProxyCorrelation {

  /** Trials needed before a ρ is given: fewer say nothing. */
  public static final int MIN_TRIALS = 5;

  private ProxyCorrelation() {}

  /** One trained trial: its proxy scores by name and its objective value. */
  public record Trial(Map<String, Double> scores, double value) {
    public Trial {
      scores = Map.copyOf(Objects.requireNonNull(scores, "scores"));
    }
  }

  /**
   * One proxy's correlation.
   *
   * @param rho over every trial with a score and a value; NaN below {@value #MIN_TRIALS} trials or
   *     when either side is constant
   * @param trials how many trials it covers
   * @param running [n, ρ over the first n such trials] pairs, n increasing
   */
  public record Result(String proxy, double rho, int trials, List<double[]> running) {}

  /** Spearman's ρ of two equally long samples; NaN when shorter than {@value #MIN_TRIALS} or constant. */
  public static double spearman(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("samples of " + x.length + " and " + y.length + " values");
    }
    if (x.length < MIN_TRIALS) {
      return Double.NaN;
    }
    double[] fx = finite(x);
    double[] fy = finite(y);
    return new SpearmansCorrelation().correlation(fx, fy);
  }

  /** Per proxy found in the trials' scores (in name order), its ρ and running ρ. */
  public static List<Result> of(List<Trial> trials, int points) {
    TreeSet<String> names = new TreeSet<>();
    trials.forEach(t -> names.addAll(t.scores().keySet()));
    List<Result> out = new ArrayList<>();
    for (String name : names) {
      List<double[]> pairs = new ArrayList<>();
      for (Trial t : trials) {
        Double s = t.scores().get(name);
        if (s != null && !Double.isNaN(s) && Double.isFinite(t.value())) {
          pairs.add(new double[] {s, t.value()});
        }
      }
      int n = pairs.size();
      List<double[]> running = new ArrayList<>();
      int step = Math.max(1, (int) Math.ceil((n - MIN_TRIALS + 1) / (double) Math.max(1, points)));
      for (int k = MIN_TRIALS; k <= n; k++) {
        if ((k - MIN_TRIALS) % step == 0 || k == n) {
          running.add(new double[] {k, rho(pairs, k)});
        }
      }
      out.add(new Result(name, rho(pairs, n), n, running));
    }
    return out;
  }

  /** Scores of the tags {@code proxy.NAME} of a trial (see {@link PrescreenStrategy#PROXY_TAG}). */
  public static Map<String, Double> scoresOf(Map<String, String> tags) {
    Map<String, Double> out = new LinkedHashMap<>();
    tags.forEach((k, v) -> {
      if (k.startsWith(PrescreenStrategy.PROXY_TAG)) {
        try {
          out.put(k.substring(PrescreenStrategy.PROXY_TAG.length()), Double.parseDouble(v));
        } catch (NumberFormatException e) {
          // not a score: left out
        }
      }
    });
    return out;
  }

  private static double rho(List<double[]> pairs, int k) {
    double[] x = new double[k];
    double[] y = new double[k];
    for (int i = 0; i < k; i++) {
      x[i] = pairs.get(i)[0];
      y[i] = pairs.get(i)[1];
    }
    return spearman(x, y);
  }

  /** Infinities replaced by values beyond every finite one, so ranking keeps their order. */
  private static double[] finite(double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      if (Double.isFinite(d)) {
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 0;
    }
    double[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == Double.NEGATIVE_INFINITY) {
        out[i] = lo - 1 - Math.abs(lo);
      } else if (out[i] == Double.POSITIVE_INFINITY) {
        out[i] = hi + 1 + Math.abs(hi);
      }
    }
    return out;
  }
}
