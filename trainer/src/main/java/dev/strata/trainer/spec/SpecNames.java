package dev.strata.trainer.spec;

import dev.strata.common.DidYouMean;
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

  /**
   * The candidate closest to {@code name}, or null when none is close (the rule of {@link
   * DidYouMean#closest}).
   */
  public static String suggest(String name, Collection<String> candidates) {
    return DidYouMean.closestOrNull(name, candidates);
  }
}
