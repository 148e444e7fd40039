package dev.strata.experiments.store;

/** A failure of the run store: an SQL error, a corrupt row, or a file that is not a Strata run. */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
