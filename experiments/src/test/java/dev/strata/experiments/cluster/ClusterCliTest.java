package dev.strata.experiments.cluster;

import static dev.strata.experiments.cluster.ClusterTestSupport.awaitTrue;
import static dev.strata.experiments.cluster.ClusterTestSupport.freePort;
import static dev.strata.experiments.cluster.ClusterTestSupport.logs;
import static dev.strata.experiments.cluster.ClusterTestSupport.read;
import static dev.strata.experiments.cluster.ClusterTestSupport.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI on loopback, every piece its own JVM: {@code strata run FILE --cluster
 * --local-workers 0} trains a CSV experiment on a {@code strata worker} that cannot see the CSV
 * file (it trains on the copy the coordinator ships); the coordinator is SIGKILLed mid-run and
 * {@code strata resume DIR --cluster} finishes it, with the first worker reconnecting and a
 * second joining. The store then holds exactly the budget, each trial naming the worker that
 * trained it, and the workers table the dashboard reads.
 */
class ClusterCliTest {

  private static final int BUDGET = 24;

  @Test
  @Timeout(300)
  void aCsvRunOnWorkersSurvivesItsCoordinatorThroughResumeCluster(@TempDir Path tmp) throws Exception {
    String cluster = "c" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
    int port = freePort();
    int bus = freePort();
    Path csv = tmp.resolve("data").resolve("points.csv");
    Files.createDirectories(csv.getParent());
    Files.writeString(csv, points(1500));
    Path experiment = tmp.resolve("data").resolve("csvc.json");
    Files.writeString(experiment, """
        {"name": "csvc", "seed": 3,
         "dataset": {"source": "csv:points.csv", "label": "label"},
         "space": {"width": {"choice": [32, 64]}, "depth": {"int": [1, 2]}, "epochs": 12},
         "search": {"strategies": ["random"], "budget": {"trials": %d}, "parallel": 2, "reproducible": true}}
        """.formatted(BUDGET));
    Path runs = tmp.resolve("runs");
    Path runDir = runs.resolve("csvc");
    Path hidden = tmp.resolve("elsewhere.csv");
    List<String> clusterArgs = List.of("--cluster", "--cluster-name", cluster, "--cluster-port", Integer.toString(port),
        "--event-bus-port", Integer.toString(bus), "--heartbeat-seconds", "0.5", "--worker-timeout-seconds", "4");
    long atKill;
    Process first = null;
    Process resumed = null;
    Process w1 = null;
    Process w2 = null;
    try {
      first = strata(tmp.resolve("run1.log"), concat(List.of("run", experiment.toString(), "--runs-dir", runs.toString(),
          "--local-workers", "0"), clusterArgs));
      Process p = first;
      awaitTrue(() -> read(tmp.resolve("run1.log")).contains("workers join with"), 90, "the coordinator is up", tmp);
      // From here on the CSV file is not where the experiment says: only the shipped copy can be trained on.
      Files.move(csv, hidden);
      w1 = worker(cluster, port, "w1", tmp);
      awaitTrue(() -> finished(runDir) >= 3, 120, "three trials finish on w1", tmp);
      assertTrue(p.isAlive(), () -> "the first coordinator is still running when killed" + logs(tmp));
      first.destroyForcibly();
      first.waitFor();
      atKill = finished(runDir);
      assertTrue(atKill < BUDGET, "the run was cut short");

      Files.move(hidden, csv); // the coordinator reads it again on resume
      resumed = strata(tmp.resolve("run2.log"), concat(List.of("resume", runDir.toString(), "--local-workers", "0"),
          clusterArgs));
      w2 = worker(cluster, port, "w2", tmp);
      assertTrue(resumed.waitFor(200, TimeUnit.SECONDS), () -> "the resumed run finishes" + logs(tmp));
      assertEquals(0, resumed.exitValue(), () -> logs(tmp));
      String w1log = read(tmp.resolve("w1.log"));
      assertTrue(w1log.indexOf("registered") != w1log.lastIndexOf("registered"), "w1 registered again:\n" + w1log);
    } finally {
      stop(first, resumed, w1, w2);
      if (Files.exists(hidden) && !Files.exists(csv)) {
        Files.move(hidden, csv);
      }
    }

    try (RunReader reader = RunStore.openReader(runDir)) {
      List<TrialRecord> trials = reader.trials(TrialQuery.firstPage()).items();
      assertEquals(BUDGET, trials.size(), "nothing lost, nothing duplicated");
      assertEquals(BUDGET, trials.stream().map(TrialRecord::index).collect(Collectors.toSet()).size());
      Map<TrialStatus, Long> statuses = trials.stream()
          .collect(Collectors.groupingBy(TrialRecord::status, TreeMap::new, Collectors.counting()));
      assertEquals(Map.of(TrialStatus.COMPLETED, (long) BUDGET), statuses, () -> statuses + logs(tmp));
      Set<String> where = trials.stream().map(TrialRecord::worker).collect(Collectors.toCollection(TreeSet::new));
      assertTrue(Set.of("w1", "w2").containsAll(where), "every trial names the worker that trained it: " + where);
      assertTrue(where.contains("w1"), where::toString);
      Map<String, WorkerRecord> workers = reader.workers().stream()
          .collect(Collectors.toMap(WorkerRecord::name, w -> w, (a, b) -> b, TreeMap::new));
      assertEquals(Set.of("w1", "w2"), workers.keySet(), "the workers table: " + workers);
      // The resumed session's counts are exact; the killed one's last write (at most a second old)
      // may lag its store by a result or two either way.
      long done = workers.values().stream().mapToLong(WorkerRecord::trialsDone).sum();
      assertTrue(done >= BUDGET - atKill && done <= BUDGET + 2, "trials done over both sessions: " + workers);
      assertTrue(workers.values().stream().allMatch(w -> w.threads() == 1 && !w.local() && w.currentTrials().isEmpty()),
          workers::toString);
      List<RunEvent> events = reader.eventsAfter(0, 100_000);
      assertTrue(events.stream().anyMatch(e -> e.type().equals("cluster") && e.json().contains("worker-joined")
          && e.json().contains("\"w2\"")), "cluster events are in the run's event log");
    }
    String w1log = read(tmp.resolve("w1.log"));
    assertTrue(w1log.contains("fetching dataset"), w1log);
  }

  // ------------------------------------------------------------------ helpers

  /** Four Gaussian blobs in 8 dimensions with a string label; deterministic. */
  private static String points(int rows) {
    Random r = new Random(11);
    StringBuilder sb = new StringBuilder("a,b,c,d,e,f,g,h,label\n");
    for (int i = 0; i < rows; i++) {
      int k = i % 4;
      for (int j = 0; j < 8; j++) {
        sb.append(String.format(Locale.ROOT, "%.4f,", (j % 4 == k ? 1.5 : 0) + r.nextGaussian()));
      }
      sb.append("k").append(k).append('\n');
    }
    return sb.toString();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static Process strata(Path log, List<String> args) throws Exception {
    List<String> cmd = ClusterTestSupport.java("dev.strata.experiments.cli.StrataCommand");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove(ClusterOptions.SECRET_ENV);
    return pb.start();
  }

  /** A real {@code strata worker} (the default evaluator factory), started in another directory. */
  private static Process worker(String cluster, int port, String name, Path tmp) throws Exception {
    List<String> cmd = ClusterTestSupport.java("dev.strata.experiments.cli.StrataCommand");
    cmd.addAll(List.of("worker", "--cluster", "--join", "127.0.0.1:" + port, "--cluster-name", cluster, "--name", name,
        "--threads", "1", "--cache-dir", tmp.resolve("cache-" + name).toString(), "--heartbeat-seconds", "0.5",
        "--worker-timeout-seconds", "4"));
    Path dir = Files.createDirectories(tmp.resolve("home-" + name));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().remove(ClusterOptions.SECRET_ENV);
    return pb.start();
  }

  private static long finished(Path runDir) {
    if (!RunStore.exists(runDir)) {
      return 0;
    }
    try (RunReader reader = RunStore.openReader(runDir)) {
      return reader.trials(TrialQuery.firstPage()).items().stream().filter(t -> t.status() == TrialStatus.COMPLETED).count();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
