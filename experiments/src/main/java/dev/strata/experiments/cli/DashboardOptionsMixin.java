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

  @Option(names = "--allow-host", paramLabel = "NAME",
      description = "Another host name the browser may use to reach the dashboard (e.g. a reverse proxy's); repeatable.")
  java.util.List<String> allowHosts = new java.util.ArrayList<>();

  /** The checked options; bad values are bad input. */
  DashboardOptions options() {
    try {
      DashboardOptions.Builder b = DashboardOptions.builder().host(host).port(port).token(token);
      allowHosts.forEach(b::allowHost);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** Checks the options before anything is created (so a typo never leaves a run directory behind). */
  void check() {
    if (!enabled && (token != null || !host.equals(DashboardOptions.DEFAULT_HOST) || port != DashboardOptions.DEFAULT_PORT
        || !allowHosts.isEmpty())) {
      throw new BadInputException("--port, --host, --token and --allow-host configure the dashboard; add --dashboard");
    }
    if (enabled) {
      options();
    }
  }

}
