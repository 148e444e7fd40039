package dev.strata.search.objective;

import dev.strata.search.strategy.Options;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The built-in test functions, all minimised, each with its known optimum (the value {@link
 * Objective#optimum()} reports):
 *
 * <table>
 *   <caption>Test functions</caption>
 *   <tr><th>name</th><th>domain</th><th>optimum</th></tr>
 *   <tr><td>{@code branin}</td><td>x1 ∈ [−5, 10], x2 ∈ [0, 15]</td><td>0.397887 at (−π, 12.275),
 *       (π, 2.275), (9.42478, 2.475)</td></tr>
 *   <tr><td>{@code hartmann6}</td><td>[0, 1]⁶</td><td>−3.32237 at (0.20169, 0.150011, 0.476874,
 *       0.275332, 0.311652, 0.6573)</td></tr>
 *   <tr><td>{@code rosenbrock:d}</td><td>[−5, 10]^d</td><td>0 at (1, …, 1)</td></tr>
 *   <tr><td>{@code ackley:d}</td><td>[−32.768, 32.768]^d</td><td>0 at the origin</td></tr>
 *   <tr><td>{@code levy:d}</td><td>[−10, 10]^d</td><td>0 at (1, …, 1)</td></tr>
 *   <tr><td>{@code mixed}</td><td>see {@link MixedFunction}</td><td>0</td></tr>
 * </table>
 *
 * <p>{@code d} defaults to 2 ({@code "rosenbrock"} is {@code "rosenbrock:2"}). Formulas follow
 * the Virtual Library of Simulation Experiments (Surjanovic and Bingham). Thread-safe.
 */
public final class TestFunctions {

  /** The default dimension of the functions that take one. */
  public static final int DEFAULT_DIMENSION = 2;

  private static final Map<String, IntFunction<Objective>> SCALABLE = new LinkedHashMap<>();
  private static final Map<String, Objective> FIXED = new LinkedHashMap<>();

  static {
    FIXED.put("branin", branin());
    FIXED.put("hartmann6", hartmann6());
    FIXED.put("mixed", new MixedFunction());
    SCALABLE.put("rosenbrock", TestFunctions::rosenbrock);
    SCALABLE.put("ackley", TestFunctions::ackley);
    SCALABLE.put("levy", TestFunctions::levy);
  }

  private TestFunctions() {}

  /** The names: {@code branin, hartmann6, mixed, rosenbrock, ackley, levy}. */
  public static List<String> names() {
    List<String> names = new java.util.ArrayList<>(FIXED.keySet());
    names.addAll(SCALABLE.keySet());
    return List.copyOf(names);
  }

  /**
   * The function named {@code name}, or {@code name:d} for a scalable one ({@code "levy:5"}).
   *
   * @throws IllegalArgumentException for an unknown name (with a suggestion) or a bad dimension
   */
  public static Objective byName(String name) {
    String text = name.trim().toLowerCase(Locale.ROOT);
    String base = text;
    Integer d = null;
    int colon = text.indexOf(':');
    if (colon >= 0) {
      base = text.substring(0, colon);
      String digits = text.substring(colon + 1);
      try {
        d = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("test function '" + name + "': '" + digits
            + "' is not a dimension; write e.g. " + base + ":4");
      }
    }
    if (FIXED.containsKey(base)) {
      if (d != null) {
        throw new IllegalArgumentException("test function '" + base + "' has a fixed dimension; write '" + base + "'");
      }
      return FIXED.get(base);
    }
    IntFunction<Objective> scalable = SCALABLE.get(base);
    if (scalable == null) {
      throw new IllegalArgumentException("unknown test function '" + name + "'" + Options.didYouMean(base, names())
          + "; known: " + String.join(", ", names()) + " (scalable ones take ':d', e.g. rosenbrock:4)");
    }
    int dim = d == null ? DEFAULT_DIMENSION : d;
    if (dim < 1 || dim > 1000) {
      throw new IllegalArgumentException("test function '" + name + "': dimension must be in [1, 1000], got " + dim);
    }
    if (base.equals("rosenbrock") && dim < 2) {
      throw new IllegalArgumentException("test function '" + name + "': rosenbrock needs at least 2 dimensions");
    }
    return scalable.apply(dim);
  }

  /**
   * Branin-Hoo: {@code a(x2 − b·x1² + c·x1 − r)² + s(1 − t)cos(x1) + s} with {@code a = 1, b =
   * 5.1/(4π²), c = 5/π, r = 6, s = 10, t = 1/(8π)}.
   */
  public static BoxFunction branin() {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    return new BoxFunction("branin", new double[] {-5, 0}, new double[] {10, 15}, 0.397887, x -> {
      double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
      return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
    });
  }

  private static final double[] H_ALPHA = {1.0, 1.2, 3.0, 3.2};
  private static final double[][] H_A = {
      {10, 3, 17, 3.5, 1.7, 8},
      {0.05, 10, 17, 0.1, 8, 14},
      {3, 3.5, 1.7, 10, 17, 8},
      {17, 8, 0.05, 10, 0.1, 14}};
  private static final double[][] H_P = {
      {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
      {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
      {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
      {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

  /** Hartmann 6-D: {@code −Σ_i α_i exp(−Σ_j A_ij (x_j − P_ij)²)}; six local minima. */
  public static BoxFunction hartmann6() {
    return BoxFunction.cube("hartmann6", 6, 0, 1, -3.32237, x -> {
      double f = 0;
      for (int i = 0; i < 4; i++) {
        double s = 0;
        for (int j = 0; j < 6; j++) {
          double diff = x[j] - H_P[i][j];
          s += H_A[i][j] * diff * diff;
        }
        f -= H_ALPHA[i] * Math.exp(-s);
      }
      return f;
    });
  }

  /** Rosenbrock: {@code Σ_{i<d} 100(x_{i+1} − x_i²)² + (x_i − 1)²}. */
  public static BoxFunction rosenbrock(int d) {
    return BoxFunction.cube("rosenbrock:" + d, d, -5, 10, 0, x -> {
      double f = 0;
      for (int i = 0; i + 1 < x.length; i++) {
        double a = x[i + 1] - x[i] * x[i];
        double b = x[i] - 1;
        f += 100 * a * a + b * b;
      }
      return f;
    });
  }

  /** Ackley: {@code −20·exp(−0.2·√(Σx²/d)) − exp(Σcos(2πx)/d) + 20 + e}. */
  public static BoxFunction ackley(int d) {
    return BoxFunction.cube("ackley:" + d, d, -32.768, 32.768, 0, x -> {
      double sq = 0;
      double cos = 0;
      for (double v : x) {
        sq += v * v;
        cos += Math.cos(2 * Math.PI * v);
      }
      double n = x.length;
      return -20 * Math.exp(-0.2 * Math.sqrt(sq / n)) - Math.exp(cos / n) + 20 + Math.E;
    });
  }

  /**
   * Levy: with {@code w_i = 1 + (x_i − 1)/4}, {@code sin²(πw_1) + Σ_{i<d} (w_i − 1)²(1 +
   * 10 sin²(πw_i + 1)) + (w_d − 1)²(1 + sin²(2πw_d))}.
   */
  public static BoxFunction levy(int d) {
    return BoxFunction.cube("levy:" + d, d, -10, 10, 0, x -> {
      int n = x.length;
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = 1 + (x[i] - 1) / 4;
      }
      double s1 = Math.sin(Math.PI * w[0]);
      double f = s1 * s1;
      for (int i = 0; i + 1 < n; i++) {
        double s = Math.sin(Math.PI * w[i] + 1);
        f += (w[i] - 1) * (w[i] - 1) * (1 + 10 * s * s);
      }
      double s = Math.sin(2 * Math.PI * w[n - 1]);
      f += (w[n - 1] - 1) * (w[n - 1] - 1) * (1 + s * s);
      return f;
    });
  }
}
