package dev.strata.search.trial;

/** Whether the objective is minimised or maximised. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** The value turned into a loss to minimise. */
  public double toLoss(double value) {
    return this == MINIMIZE ? value : -value;
  }

  /** Whether {@code a} is strictly better than {@code b}. */
  public boolean isBetter(double a, double b) {
    return this == MINIMIZE ? a < b : a > b;
  }

  /** Parses "minimize"/"min"/"maximize"/"max", case-insensitively. */
  public static Direction parse(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "minimize", "min" -> MINIMIZE;
      case "maximize", "max" -> MAXIMIZE;
      default -> throw new IllegalArgumentException(
          "unknown direction '" + text + "': use \"minimize\" or \"maximize\"");
    };
  }
}
