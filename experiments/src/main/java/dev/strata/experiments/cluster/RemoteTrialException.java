package dev.strata.experiments.cluster;

/**
 * A worker's evaluator threw instead of returning a result; thrown again on the coordinator so
 * that the runner records the trial FAILED with the worker's message, as it would locally.
 */
public final class RemoteTrialException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RemoteTrialException(String worker, String message) {
    super(message + " (on worker " + worker + ")");
  }
}
