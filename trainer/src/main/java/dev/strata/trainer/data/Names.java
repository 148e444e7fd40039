package dev.strata.trainer.data;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" suggestions for misspelt names. Stateless, thread-safe. */
final class Names {

  private Names() {}

  /**
   * The candidate closest to {@code wrong} by edit distance (case-insensitive), or null when none
   * is close: at most 2 edits, and fewer than half of the longer name. Ties go to the first
   * candidate.
   */
  static String closest(String wrong, Collection<String> candidates) {
    String w = wrong.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(w, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null) {
      return null;
    }
    int longer = Math.max(w.length(), best.length());
    return bestDistance <= 2 && bestDistance * 2 < longer ? best : null;
  }

  /** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
