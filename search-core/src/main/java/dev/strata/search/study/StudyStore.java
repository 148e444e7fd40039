package dev.strata.search.study;

import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialRecord;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Study} writes and reads back: its trials and its scheduler's call log. A run's
 * SQLite store implements it for {@code strata run}, {@link InMemoryStudyStore} for a loop that
 * keeps nothing ({@code strata optimize}, library use).
 *
 * <p>Each method is one transaction: when it returns, what it recorded survives a crash. The study
 * calls it before it tells its scheduler anything (commit before tell), so a replay of the call log
 * rebuilds the scheduler exactly.
 */
public interface StudyStore {

  /**
   * Records one {@code next(n)} call and the PENDING trials its Start jobs created.
   *
   * @param firstIndex the first trial index returned, -1 for none
   * @param jobsJson the jobs returned, a JSON array of {@code {index, resource, rung[, from]}}
   * @return the new trials with their ids, in order
   */
  List<TrialRecord> recordNext(long studyId, int requested, int firstIndex, String jobsJson, List<NewTrial> newTrials);

  /** Records an epoch of a RUNNING trial with the {@code report} call it caused. */
  void recordReport(EpochRecord epoch, long studyId, int index, double resource, double value);

  /** Records that the scheduler is told a job's outcome ({@code complete}); the trial is committed already. */
  void recordComplete(long studyId, int index, double resource, Outcome outcome);

  /** A job reached a rung below the maximum: the trial waits PENDING for a promotion. */
  void pauseTrial(long trialId, double value, Map<String, Double> metrics, double reached, double trainSeconds);

  /** Commits a trial's final state and the largest resource it finished ({@code NaN}: keep the stored one). */
  TrialRecord finishTrial(long trialId, TrialFinish finish, double reached);

  /** Ends the study's paused trials (PRUNED with {@code reason}); returns how many. */
  int finalizePaused(long studyId, String reason);

  /** The study's call log, in order. */
  List<StrategyCall> callLog(long studyId);

  /** Every trial of the study, by index. */
  List<StoredTrial> studyTrials(long studyId);
}
