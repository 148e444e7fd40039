package dev.strata.search.trial;

import java.util.Optional;

/**
 * A page request over a run's trials: filters, sort and bounds. Immutable.
 *
 * @param sort one of {@code id}, {@code value}, {@code parameters}, {@code trainSeconds}, {@code finished}
 * @param ascending sort order; the best-first order of the objective is the caller's choice
 * @param offset rows to skip, >= 0
 * @param limit rows to return, 1..1000
 */
public record TrialQuery(
    Optional<String> strategy,
    Optional<Long> seed,
    Optional<TrialStatus> status,
    String sort,
    boolean ascending,
    int offset,
    int limit) {

  public static final java.util.Set<String> SORT_KEYS =
      java.util.Set.of("id", "value", "parameters", "trainSeconds", "finished");

  public TrialQuery {
    strategy = strategy == null ? Optional.empty() : strategy;
    seed = seed == null ? Optional.empty() : seed;
    status = status == null ? Optional.empty() : status;
    if (!SORT_KEYS.contains(sort)) {
      throw new IllegalArgumentException("sort must be one of " + SORT_KEYS + ", got '" + sort + "'");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be in 1..1000, got " + limit);
    }
  }

  /** All trials by id, first page of 100. */
  public static TrialQuery firstPage() {
    return new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(), "id", true, 0, 100);
  }
}
