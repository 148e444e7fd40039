package dev.strata.experiments.report;

import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The trials that did not complete, counted by status and by reason, each group with its first
 * example (the lowest trial id), most frequent first: what the end-of-run summary and {@code strata
 * status} show, so that a typo which rejects 92 trials is on the console and not only in
 * {@code strata.log}. Reasons that differ only in numbers ({@code "timed out after 31 s"}, {@code
 * "... 34 s"}) are one group, shown with the first example's text. Immutable.
 *
 * @param groups most frequent first; ties by status, then by first trial
 */
public record FailureReasons(List<Group> groups) {

  /** Statuses counted: every finished status except COMPLETED and PRUNED (a scheduler's normal stop). */
  static final Set<TrialStatus> COUNTED = EnumSet.of(TrialStatus.FAILED, TrialStatus.DIVERGED, TrialStatus.REJECTED,
      TrialStatus.UNTRAINABLE,
      TrialStatus.INTERRUPTED);

  /**
   * One status and reason.
   *
   * @param reason the first example's reason ({@code "(no reason recorded)"} when empty)
   * @param firstTrial the lowest trial id in the group
   */
  public record Group(TrialStatus status, String reason, int count, long firstTrial) {}

  public FailureReasons {
    groups = List.copyOf(groups);
  }

  /** Groups the counted trials of {@code trials}. */
  public static FailureReasons of(Collection<TrialRecord> trials) {
    Map<String, long[]> byKey = new LinkedHashMap<>(); // key -> [count, first id]
    Map<String, TrialRecord> first = new LinkedHashMap<>();
    trials.stream().filter(t -> COUNTED.contains(t.status())).sorted(Comparator.comparingLong(TrialRecord::id))
        .forEach(t -> {
          String key = t.status() + "\u0000" + t.reason().replaceAll("\\d+(\\.\\d+)?", "#");
          long[] c = byKey.computeIfAbsent(key, k -> new long[] {0, t.id()});
          c[0]++;
          first.putIfAbsent(key, t);
        });
    List<Group> groups = new ArrayList<>();
    for (var e : byKey.entrySet()) {
      TrialRecord t = first.get(e.getKey());
      String reason = t.reason().isBlank() ? "(no reason recorded)" : t.reason().strip();
      groups.add(new Group(t.status(), reason, (int) e.getValue()[0], e.getValue()[1]));
    }
    groups.sort(Comparator.comparingInt(Group::count).reversed().thenComparing(Group::status)
        .thenComparingLong(Group::firstTrial));
    return new FailureReasons(groups);
  }

  public boolean isEmpty() {
    return groups.isEmpty();
  }

  /** Trials in all groups. */
  public int total() {
    return groups.stream().mapToInt(Group::count).sum();
  }

  /**
   * Up to {@code max} lines {@code "92 rejected: REASON (first: trial 3)"}, reasons clipped to
   * {@code width} characters, and a last line saying how many groups were left out.
   */
  public List<String> lines(int max, int width) {
    List<String> out = new ArrayList<>();
    for (Group g : groups.subList(0, Math.min(max, groups.size()))) {
      String reason = g.reason().replace('\n', ' ');
      if (reason.length() > width) {
        reason = reason.substring(0, width - 3) + "...";
      }
      out.add(g.count() + " " + g.status().name().toLowerCase(Locale.ROOT) + ": " + reason
          + " (first: trial " + g.firstTrial() + ")");
    }
    if (groups.size() > max) {
      out.add("... and " + (groups.size() - max) + " more reasons; see 'strata status --json' or strata.log");
    }
    return out;
  }
}
