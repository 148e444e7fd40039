package dev.strata.runs;

import java.util.List;

/**
 * One page of results and the total number of matches. Immutable.
 *
 * @param offset the position of the first item, -1 when unknown (a keyset page)
 * @param hasPrevious whether rows come before this page
 * @param hasNext whether rows come after it
 */
public record Page<T>(List<T> items, long total, int offset, int limit, boolean hasPrevious, boolean hasNext) {

  public Page {
    items = List.copyOf(items);
  }

  /** A page by offset: rows before it when the offset is positive, after it when short of the total. */
  public Page(List<T> items, long total, int offset, int limit) {
    this(items, total, offset, limit, offset > 0, offset + items.size() < total);
  }
}
