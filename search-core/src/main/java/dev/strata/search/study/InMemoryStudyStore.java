package dev.strata.search.study;

import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StudyStore} in memory: for loops that keep nothing on disk ({@code strata optimize},
 * benchmarks, a program that drives a {@link Study} itself). Holds the trials and call log of any
 * number of studies; learning curves are not kept. Not thread-safe, like the study that uses it.
 */
public final class InMemoryStudyStore implements StudyStore {

  private final Map<Long, StudyRecord> studies = new LinkedHashMap<>();
  private final Map<Long, StoredTrial> trials = new LinkedHashMap<>();
  private final Map<Long, List<StrategyCall>> calls = new HashMap<>();
  private long nextStudyId = 1;
  private long nextTrialId = 1;

  /** Adds a study and returns its record. */
  public StudyRecord addStudy(String strategy, long seed, int budgetTrials, Map<String, Object> options) {
    StudyRecord r = new StudyRecord(nextStudyId++, strategy, seed, budgetTrials, options);
    studies.put(r.id(), r);
    return r;
  }

  /** Every study, in the order added. */
  public List<StudyRecord> studies() {
    return List.copyOf(studies.values());
  }

  @Override
  public List<TrialRecord> recordNext(long studyId, int requested, int firstIndex, String jobsJson,
      List<NewTrial> newTrials) {
    log(studyId, StrategyCall.Kind.NEXT, firstIndex, requested, Double.NaN, Double.NaN, jobsJson);
    List<TrialRecord> out = new ArrayList<>(newTrials.size());
    for (NewTrial t : newTrials) {
      TrialRecord r = new TrialRecord(nextTrialId++, studyId, t.index(), t.configuration(), TrialStatus.PENDING,
          Double.NaN, Map.of(), 0, 0, 0, null, null, "", "", t.tags());
      trials.put(r.id(), new StoredTrial(r, t.seed(), 0));
      out.add(r);
    }
    return out;
  }

  @Override
  public void recordReport(EpochRecord epoch, long studyId, int index, double resource, double value) {
    log(studyId, StrategyCall.Kind.REPORT, index, 1, resource, value, null);
  }

  @Override
  public void recordComplete(long studyId, int index, double resource, Outcome outcome) {
    log(studyId, StrategyCall.Kind.COMPLETE, index, 1, resource, Double.NaN, StrategyCall.outcomeJson(outcome));
  }

  @Override
  public void pauseTrial(long trialId, double value, Map<String, Double> metrics, double reached, double trainSeconds) {
    StoredTrial t = trial(trialId);
    TrialRecord r = t.record();
    trials.put(trialId, new StoredTrial(new TrialRecord(r.id(), r.studyId(), r.index(), r.configuration(),
        TrialStatus.PENDING, value, metrics, r.parameters(), r.flops(), trainSeconds, r.started(), null, r.worker(), "",
        r.tags()), t.seed(), reached));
  }

  @Override
  public TrialRecord finishTrial(long trialId, TrialFinish finish, double reached) {
    StoredTrial t = trial(trialId);
    TrialRecord r = t.record();
    if (r.status().isFinished()) {
      throw new IllegalStateException("trial " + trialId + " is already " + r.status()
          + ": a finished trial cannot be changed");
    }
    TrialRecord done = new TrialRecord(r.id(), r.studyId(), r.index(), r.configuration(), finish.status(),
        finish.value(), finish.metrics(), finish.parameters(), finish.flops(), finish.trainSeconds(), r.started(),
        Instant.now(), r.worker(), finish.reason(), r.tags());
    trials.put(trialId, new StoredTrial(done, t.seed(), Double.isNaN(reached) ? t.reached() : reached));
    return done;
  }

  @Override
  public int finalizePaused(long studyId, String reason) {
    int n = 0;
    for (StoredTrial t : List.copyOf(trials.values())) {
      TrialRecord r = t.record();
      if (r.studyId() == studyId && (r.status() == TrialStatus.PENDING || r.status() == TrialStatus.INTERRUPTED)
          && t.reached() > 0) {
        finishTrial(r.id(), new TrialFinish(TrialStatus.PRUNED, r.value(), r.metrics(), r.parameters(), r.flops(),
            r.trainSeconds(), null, reason), Double.NaN);
        n++;
      }
    }
    return n;
  }

  @Override
  public List<StrategyCall> callLog(long studyId) {
    return List.copyOf(calls.getOrDefault(studyId, List.of()));
  }

  @Override
  public List<StoredTrial> studyTrials(long studyId) {
    return trials.values().stream().filter(t -> t.record().studyId() == studyId)
        .sorted(Comparator.comparingInt(t -> t.record().index())).toList();
  }

  private StoredTrial trial(long trialId) {
    StoredTrial t = trials.get(trialId);
    if (t == null) {
      throw new IllegalArgumentException("no trial " + trialId);
    }
    return t;
  }

  private void log(long studyId, StrategyCall.Kind kind, int index, int requested, double resource, double value,
      String detail) {
    List<StrategyCall> log = calls.computeIfAbsent(studyId, id -> new ArrayList<>());
    log.add(new StrategyCall(studyId, log.size(), kind, index, requested, resource, value, detail));
  }
}
