package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.dashboard.Dashboard;
import dev.strata.dashboard.RunCatalog;
import dev.strata.experiments.store.RunStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata dashboard DIR}: serves every run under a runs folder, finished or still running in
 * another process (each run's SQLite file is opened read-only and polled for new events).
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = "Browses every run under a runs folder in the dashboard, live for runs still going.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped with Ctrl-C", "2:bad input: no such folder, or bad host/port/token"})
public final class DashboardCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin DebugMixin debug;

  @Parameters(index = "0", paramLabel = "DIR", defaultValue = "runs", description = "The runs folder (default ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default ${DEFAULT-VALUE}); others need --token.")
  String host;

  @Option(names = "--token", description = "Shared secret the browser must present.")
  String token;

  @Option(names = "--allow-host", paramLabel = "NAME",
      description = "Another host name the browser may use to reach the dashboard (e.g. a reverse proxy's); repeatable.")
  java.util.List<String> allowHosts = new java.util.ArrayList<>();

  /**
   * Every run under {@code runsDir}, each opened read-only: a run another process is writing is
   * followed through its SQLite file (new events are polled), and new run folders are listed as
   * they appear.
   */
  public static RunCatalog catalog(Path runsDir) {
    return RunCatalog.directory(runsDir, RunStore::exists, RunStore::openReader,
        (dir, reader) -> new RunImportance(dir, reader::experiment));
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isDirectory(runsDir)) {
      throw new BadInputException(runsDir + ": no such folder; pass the folder that holds your runs (default: runs)");
    }
    dev.strata.dashboard.DashboardOptions options;
    try {
      dev.strata.dashboard.DashboardOptions.Builder b = dev.strata.dashboard.DashboardOptions.builder().host(host).port(port).token(token);
      allowHosts.forEach(b::allowHost);
      options = b.build();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    Dashboard server = Dashboard.start(options, catalog(runsDir), Optional.of(new TrialNetworkInspector())).await();
    PrintWriter err = spec.commandLine().getErr();
    err.println("dashboard: " + server.url() + " (Ctrl-C to stop)");
    err.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close().await();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
