package dev.strata.runs;

import dev.strata.search.trial.TrialRecord;
import java.util.List;
import java.util.Map;

/**
 * How much each parameter of one run's search space explains its objective, as {@code strata
 * importance} computes it. The application implements it (it can read the run's search space);
 * the dashboard calls it on a worker thread. Implementations are thread-safe.
 */
@FunctionalInterface
public interface ParameterImportance {

  /** The methods: PED-ANOVA (quantile-based, Optuna's default) and fANOVA (on a random forest). */
  enum Method {
    PED_ANOVA("ped-anova", "PED-ANOVA"),
    FANOVA("fanova", "fANOVA");

    private final String key;
    private final String label;

    Method(String key, String label) {
      this.key = key;
      this.label = label;
    }

    /** As the command line and the API spell it: {@code ped-anova}, {@code fanova}. */
    public String key() {
      return key;
    }

    /** As a page names it: {@code PED-ANOVA}, {@code fANOVA}. */
    public String label() {
      return label;
    }

    /** The method spelt {@code key}; empty for anything else. */
    public static java.util.Optional<Method> of(String key) {
      for (Method m : values()) {
        if (m.key.equals(key)) {
          return java.util.Optional.of(m);
        }
      }
      return java.util.Optional.empty();
    }
  }

  /**
   * The importances computed from some trials.
   *
   * @param trials how many trials the method used (those that count: {@link BestSoFar#counts})
   * @param importance parameter path to its share, summing to 1 unless all are 0; kept largest
   *     first (ties in the given order), whatever order the map given has, since pages list it so
   */
  record Result(Method method, int trials, Map<String, Double> importance) {
    public Result {
      var largestFirst = new java.util.LinkedHashMap<String, Double>();
      importance.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEachOrdered(e -> largestFirst.put(e.getKey(), e.getValue()));
      importance = java.util.Collections.unmodifiableMap(largestFirst);
    }
  }

  /**
   * The importance of the run's parameters from {@code trials} (any; only those that can set a
   * best-so-far are used).
   *
   * @param quantile PED-ANOVA's share of best trials (ignored by fANOVA)
   * @throws IllegalArgumentException when fewer than 2 trials count
   */
  Result of(List<TrialRecord> trials, Method method, double quantile);
}
