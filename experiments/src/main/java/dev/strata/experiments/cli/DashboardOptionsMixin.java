package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.dashboard.DashboardOptions;
import picocli.CommandLine.Option;

/** The {@code --dashboard} options shared by {@code run}, {@code resume} and {@code demo}. */
final class DashboardOptionsMixin {

  @Option(names = "--dashboard", description = "Serve the live dashboard while the search runs.")
  boolean enabled;

  @Option(names = "--port", paramLabel = "P", description = "Dashboard port (default: ${DEFAULT-VALUE}; 0 picks a free one).",
      defaultValue = "8080")
  int port;

  @Option(names = "--host", paramLabel = "H",
      description = "Address to bind (default: ${DEFAULT-VALUE}); any non-loopback address needs --token.",
      defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--token", paramLabel = "T", description = "Shared secret the browser must present (8+ characters).")
  String token;

  /** The checked options; bad values are bad input. */
  DashboardOptions options() {
    try {
      return DashboardOptions.builder().host(host).port(port).token(token).build();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** Checks the options before anything is created (so a typo never leaves a run directory behind). */
  void check() {
    if (!enabled && (token != null || !host.equals(DashboardOptions.DEFAULT_HOST) || port != DashboardOptions.DEFAULT_PORT)) {
      throw new BadInputException("--port, --host and --token configure the dashboard; add --dashboard");
    }
    if (enabled) {
      options();
    }
  }

}
