package dev.strata.search.space;

import java.util.Collection;

/**
 * Suggests the closest known word for a misspelt one: Levenshtein distance counting a swap of two
 * neighbouring letters as one edit (optimal string alignment), case-insensitive; at most 2 edits
 * (3 for words of 9 letters or more), and fewer edits than either word has letters.
 */
public final class DidYouMean {

  private DidYouMean() {}

  /** {@code "; did you mean 'x'?"}, or {@code ""} when nothing is close enough. */
  static String suggest(String word, Collection<String> known) {
    return closest(word, known).map(best -> "; did you mean '" + best + "'?").orElse("");
  }

  /** The closest known word within the edit budget above, if any. */
  public static java.util.Optional<String> closest(String word, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(word.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, Math.min(3, word.length() / 3));
    boolean close = best != null && bestDistance <= allowed && bestDistance < Math.min(word.length(), best.length());
    return close ? java.util.Optional.of(best) : java.util.Optional.empty();
  }

  /** Edit distance: insertions, deletions, substitutions and adjacent transpositions. */
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
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
