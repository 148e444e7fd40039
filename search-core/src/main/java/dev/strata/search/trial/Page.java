package dev.strata.search.trial;

import java.util.List;

/** One page of results and the total number of matches. Immutable. */
public record Page<T>(List<T> items, long total, int offset, int limit) {

  public Page {
    items = List.copyOf(items);
  }
}
