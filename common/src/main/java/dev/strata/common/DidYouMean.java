package dev.strata.common;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The one "did you mean" of Strata: suggests the closest known word for a misspelt one. Distance
 * is Levenshtein counting a swap of two neighbouring letters as one edit (optimal string
 * alignment, so {@code cvs} is one edit from {@code csv}), case-insensitive. A word is close when
 * it is at most 2 edits away (3 for words of 9 letters or more) and fewer edits away than either
 * word has letters. Ties go to the first candidate. Stateless and thread-safe.
 */
public final class DidYouMean {

  private DidYouMean() {}

  /** The closest known word within the edit budget above, if any. */
  public static Optional<String> closest(String word, Collection<String> known) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(w, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, Math.min(3, word.length() / 3));
    boolean close = best != null && bestDistance <= allowed && bestDistance < Math.min(word.length(), best.length());
    return close ? Optional.of(best) : Optional.empty();
  }

  /** The closest known word as {@link #closest}, or null when none is close. */
  public static String closestOrNull(String word, Collection<String> known) {
    return closest(word, known).orElse(null);
  }

  /** {@code "; did you mean 'x'?"}, or {@code ""} when nothing is close enough. */
  public static String suggest(String word, Collection<String> known) {
    return closest(word, known).map(best -> "; did you mean '" + best + "'?").orElse("");
  }

  /** Edit distance: insertions, deletions, substitutions and adjacent transpositions, 1 each. */
  public static int distance(String a, String b) {
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
