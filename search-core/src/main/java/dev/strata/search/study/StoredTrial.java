package dev.strata.search.study;

import dev.strata.search.trial.TrialRecord;
import java.util.Objects;

/**
 * A trial with the runner's bookkeeping that the dashboard does not need. Immutable.
 *
 * @param reached the largest resource (epochs) the trial finished; 0 before its first job ends
 */
public record StoredTrial(TrialRecord record, long seed, double reached) {

  public StoredTrial {
    Objects.requireNonNull(record, "record");
  }
}
