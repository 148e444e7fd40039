package dev.strata.experiments.spec;

import java.util.Objects;

/**
 * A multi-fidelity scheduler wrapped around every strategy. Immutable.
 *
 * @param type {@code asha}, {@code hyperband}, {@code median-stop} or {@code successive-halving}
 * @param minResource the smallest number of epochs a configuration trains for (r_min, &ge; 1)
 * @param eta the reduction factor (&gt; 1), asha and hyperband
 * @param iterations hyperband iterations or successive-halving brackets, 0 for as many as the budget
 *     allows
 * @param minTrials median-stop: other trials needed at a step before anything is stopped
 */
public record SchedulerSpec(String type, int minResource, double eta, int iterations, int minTrials) {

  public static final java.util.List<String> TYPES = java.util.List.of("asha", "hyperband", "median-stop",
      "successive-halving");

  public SchedulerSpec {
    Objects.requireNonNull(type, "type");
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown scheduler type '" + type + "'; use one of " + TYPES);
    }
    if (minResource < 1 || !(eta > 1) || iterations < 0 || minTrials < 1) {
      throw new IllegalArgumentException("bad scheduler options: minResource=" + minResource + ", eta=" + eta
          + ", iterations=" + iterations + ", minTrials=" + minTrials);
    }
  }
}
