package dev.strata.search.prescreen;

import dev.strata.search.trial.Configuration;

/**
 * Scores a candidate configuration before it is trained, for {@link PrescreenStrategy}: a
 * zero-cost proxy at initialisation and a trainability verdict. search-core knows nothing of
 * networks; the application implements it (Strata's experiments score with the trainer's
 * initialisation analysis).
 *
 * <p>Must be deterministic: the same configuration and trial index give the same screening, on
 * every run and after a resume (a resumed study replays its strategy, and so re-scores the same
 * candidates). Called on the coordinator thread; should take milliseconds.
 */
@FunctionalInterface
public interface CandidateScorer {

  /**
   * Screens {@code configuration} as a candidate for trial {@code trialIndex} of its study (the
   * index it gets if chosen, so a scorer may build the network with that trial's seed).
   */
  Screening score(Configuration configuration, int trialIndex);
}
