package dev.strata.experiments.report;

import dev.strata.runs.BestSoFar;
import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.Page;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one run read through a {@link RunReader}: the experiment, its studies, and every
 * trial, each study's trials in {@link BestSoFar#ORDER} (index, then id: the one ordering, which
 * does not depend on which parallel trial finished first). Immutable.
 */
public record RunData(ExperimentRecord experiment, List<StudyRecord> studies, Map<Long, List<TrialRecord>> trialsByStudy) {

  public RunData {
    studies = List.copyOf(studies);
    Map<Long, List<TrialRecord>> copy = new LinkedHashMap<>();
    trialsByStudy.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    trialsByStudy = java.util.Collections.unmodifiableMap(copy);
  }

  /** Reads everything (trials page by page). */
  public static RunData load(RunReader reader) {
    ExperimentRecord experiment = reader.experiment();
    List<StudyRecord> studies = reader.studies();
    List<TrialRecord> all = new ArrayList<>();
    int offset = 0;
    while (true) {
      Page<TrialRecord> page = reader.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(), "id",
          true, offset, 1000));
      all.addAll(page.items());
      offset += page.items().size();
      if (page.items().isEmpty() || offset >= page.total()) {
        break;
      }
    }
    Map<Long, List<TrialRecord>> byStudy = new LinkedHashMap<>();
    for (StudyRecord s : studies) {
      byStudy.put(s.id(), new ArrayList<>());
    }
    for (TrialRecord t : all) {
      byStudy.computeIfAbsent(t.studyId(), k -> new ArrayList<>()).add(t);
    }
    byStudy.values().forEach(l -> l.sort(BestSoFar.ORDER));
    return new RunData(experiment, studies, byStudy);
  }

  public Direction direction() {
    return experiment.direction();
  }

  /** Every trial, by id. */
  public List<TrialRecord> trials() {
    return trialsByStudy.values().stream().flatMap(List::stream).sorted(Comparator.comparingLong(TrialRecord::id))
        .toList();
  }

  /** Trials per status. */
  public Map<TrialStatus, Integer> counts() {
    Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
    for (List<TrialRecord> l : trialsByStudy.values()) {
      for (TrialRecord t : l) {
        counts.merge(t.status(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The study of a trial. */
  public StudyRecord study(long studyId) {
    return studies.stream().filter(s -> s.id() == studyId).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no study " + studyId));
  }

  /** Strategy names in the order their first study appears. */
  public List<String> strategies() {
    return studies.stream().map(StudyRecord::strategy).distinct().toList();
  }

  /** The best-so-far curve of each study, in study order (see {@link BestSoFar}). */
  public List<BestSoFar.StudyCurve> curves() {
    return BestSoFar.curves(studies, trials(), direction());
  }

  /** The best COMPLETED trials, best first. */
  public List<TrialRecord> leaderboard(int n) {
    Comparator<TrialRecord> byValue = Comparator.comparingDouble(t -> direction().toLoss(t.value()));
    return trials().stream().filter(BestSoFar::counts).sorted(byValue.thenComparingLong(TrialRecord::id)).limit(n)
        .toList();
  }

  /** The best COMPLETED trial of the run. */
  public Optional<TrialRecord> best() {
    return leaderboard(1).stream().findFirst();
  }

  /** The best COMPLETED trial of a study. */
  public Optional<TrialRecord> best(long studyId) {
    return trialsByStudy.getOrDefault(studyId, List.of()).stream().filter(BestSoFar::counts)
        .min(Comparator.comparingDouble((TrialRecord t) -> direction().toLoss(t.value()))
            .thenComparingLong(TrialRecord::id));
  }
}
