package dev.strata.trainer.data;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" suggestions for misspelt names. Stateless, thread-safe. */
final class Names {

  private Names() {}

  /**
   * The candidate closest to {@code wrong} by {@link #distance} (case-insensitive), or null when none
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

  /**
   * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
   * characters as 1 each (optimal string alignment), so {@code cvs} is one edit from {@code csv}.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
