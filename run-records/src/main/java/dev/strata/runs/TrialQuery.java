package dev.strata.runs;

import dev.strata.search.trial.TrialStatus;
import java.util.Optional;

/**
 * A page request over a run's trials: filters, sort and bounds. Immutable.
 *
 * @param sort one of {@code id}, {@code value}, {@code parameters}, {@code trainSeconds}, {@code finished}
 * @param ascending sort order; the best-first order of the objective is the caller's choice
 * @param offset rows to skip, >= 0 (ignored with a keyset position)
 * @param limit rows to return, 1..1000
 * @param afterId keyset: the page starts right after the row of this trial id (in the query's
 *     order), 0 for none; a store reads it from an index however deep it is
 * @param beforeId keyset: the page ends right before the row of this trial id, 0 for none;
 *     {@link #LAST} for the last page
 */
public record TrialQuery(
    Optional<String> strategy,
    Optional<Long> seed,
    Optional<TrialStatus> status,
    String sort,
    boolean ascending,
    int offset,
    int limit,
    long afterId,
    long beforeId) {

  /** {@code beforeId} of the last page. */
  public static final long LAST = Long.MAX_VALUE;

  /** A page by offset. */
  public TrialQuery(Optional<String> strategy, Optional<Long> seed, Optional<TrialStatus> status, String sort, boolean ascending,
      int offset, int limit) {
    this(strategy, seed, status, sort, ascending, offset, limit, 0, 0);
  }

  /** Whether the page is placed by a keyset position rather than an offset. */
  public boolean keyset() {
    return afterId != 0 || beforeId != 0;
  }

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
    if (afterId < 0 || beforeId < 0 || afterId != 0 && beforeId != 0) {
      throw new IllegalArgumentException("give at most one of afterId and beforeId, each > 0; got " + afterId + " and " + beforeId);
    }
  }

  /** All trials by id, first page of 100. */
  public static TrialQuery firstPage() {
    return new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(), "id", true, 0, 100);
  }
}
