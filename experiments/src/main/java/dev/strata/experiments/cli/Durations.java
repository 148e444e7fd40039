package dev.strata.experiments.cli;

import java.time.Duration;

/** Short human durations: {@code 45s}, {@code 12m 03s}, {@code 2h 05m}. Stateless. */
final class Durations {

  private Durations() {}

  static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm %02ds", s / 60, s % 60);
    }
    return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
  }

  static String seconds(double seconds) {
    return format(Duration.ofMillis(Math.round(seconds * 1000)));
  }
}
