package dev.strata.dashboard;

/**
 * A request the API refuses, with the HTTP status to answer and a message for the user. The
 * message goes to the client as {@code {"error": message}}: it says what is wrong and how to fix it.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  public ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }
}
