package dev.strata.experiments.cluster;

import dev.strata.experiments.run.Budget;
import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.StudyPlan;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.store.RunStore;
import dev.strata.search.study.StoredTrial;
import dev.strata.search.trial.StudyRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Worker processes, plans and store comparisons for the cluster tests. */
final class ClusterTestSupport {

  private ClusterTestSupport() {}

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ClusterConfig coordinatorConfig(String name, int port, int busPort, String secret) {
    return ClusterConfig.builder().clusterName(name).host("127.0.0.1").port(port).eventBusPort(busPort).secret(secret)
        .heartbeat(Duration.ofMillis(500)).workerTimeout(Duration.ofSeconds(4)).build();
  }

  /** Java with the test class path, light flags. */
  static List<String> java(String mainClass) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xmx256m", "-Xss512k", "-cp", System.getProperty("java.class.path"), mainClass));
  }

  /** Starts {@code strata worker} in its own JVM; its output goes to {@code log}. */
  static Process worker(String cluster, int coordinatorPort, String name, int threads, Path cache, Path log,
      String secret) throws IOException {
    List<String> cmd = java("dev.strata.experiments.cli.StrataCommand");
    cmd.addAll(List.of("worker", "--cluster", "--join", "127.0.0.1:" + coordinatorPort, "--cluster-name", cluster,
        "--name", name, "--threads", Integer.toString(threads), "--cache-dir", cache.toString(),
        "--heartbeat-seconds", "0.5", "--worker-timeout-seconds", "4",
        "--evaluator-factory", SyntheticFactory.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    if (secret != null) {
      pb.environment().put(ClusterOptions.SECRET_ENV, secret);
    } else {
      pb.environment().remove(ClusterOptions.SECRET_ENV);
    }
    return pb.start();
  }

  static void stop(Process... processes) {
    for (Process p : processes) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
    for (Process p : processes) {
      if (p != null) {
        try {
          p.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Three studies, reproducible, Branin. */
  static RunPlan plan(int trialsPerStudy, int parallel) {
    return Fixtures.plan()
        .studies(List.of(StudyPlan.of("greedy", 1), StudyPlan.of("random", 1), StudyPlan.of("greedy", 2)))
        .parallel(parallel)
        .reproducible(true)
        .experimentSeed(7)
        .budget(Budget.trials(trialsPerStudy))
        .build();
  }

  static void runAlone(Path dir, RunPlan plan, TrialEvaluator evaluator) {
    try (RunStore store = RunStore.create(dir, "alone", "loss", plan.direction(), "{}")) {
      Runner.builder(plan, evaluator, store).strategies(Fixtures.STRATEGIES).build().run();
    }
  }

  /** study label/index -> "status configuration metrics", the part that must not depend on where a trial ran. */
  static Map<String, String> outcomes(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (RunStore store = RunStore.open(dir)) {
      for (StudyRecord s : store.studies()) {
        for (StoredTrial t : store.studyTrials(s.id())) {
          var r = t.record();
          out.put(s.strategy() + "/" + s.seed() + "#" + r.index(),
              r.status() + " " + r.configuration().canonicalJson() + " " + new TreeMap<>(r.metrics())
                  + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"));
        }
      }
    }
    return out;
  }

  /** Polls {@code condition} every 100 ms; on timeout fails with {@code what} and every log in {@code logs}. */
  static void awaitTrue(BooleanSupplier condition, int seconds, String what, Path logs) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting until " + what + logs(logs));
      }
      Thread.sleep(100);
    }
  }

  /** Every {@code *.log} file in {@code dir}, each under its name: the context a failing cluster test needs. */
  static String logs(Path dir) {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        sb.append("\n--- ").append(p.getFileName()).append('\n').append(read(p));
      }
    } catch (IOException e) {
      sb.append(e);
    }
    return sb.toString();
  }

  /** The file's text, empty when it does not exist yet. */
  static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Writes a three-trial branin experiment, {@code h.json}, into {@code dir}. */
  static Path braninExperiment(Path dir) throws IOException {
    return Files.writeString(dir.resolve("h.json"), """
        {"name": "h", "objective": {"function": "branin"},
         "search": {"strategies": ["random"], "budget": {"trials": 3}}}
        """);
  }

  /** Every file under {@code dir}: its relative path, SHA-256 and modification time. */
  static Map<String, String> fileSnapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), sha256(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
