package dev.strata.trainer.spec;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Lower-case JSON names for enums, with "did you mean" suggestions. Stateless. */
public final class SpecNames {

  private SpecNames() {}

  /** Looks {@code name} up among the constants' JSON names or throws a {@link SpecException} at "". */
  static <E extends Enum<E>> E parse(Class<E> type, String name, Function<E, String> jsonName, String what) {
    if (name == null) {
      throw SpecException.at("", what + " is missing; use one of " + names(type, jsonName));
    }
    for (E e : type.getEnumConstants()) {
      if (jsonName.apply(e).equals(name)) {
        return e;
      }
    }
    String lower = name.toLowerCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (jsonName.apply(e).equals(lower)) {
        return e;
      }
    }
    List<String> all = Arrays.stream(type.getEnumConstants()).map(jsonName).toList();
    String suggestion = suggest(name, all);
    throw SpecException.at("", "unknown " + what + " '" + name + "'"
        + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)") + "; use one of " + String.join(", ", all));
  }

  private static <E extends Enum<E>> String names(Class<E> type, Function<E, String> jsonName) {
    return Arrays.stream(type.getEnumConstants()).map(jsonName).collect(Collectors.joining(", "));
  }

  /** The candidate closest to {@code name} by edit distance, or null when none is close. */
  public static String suggest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
