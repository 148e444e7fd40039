package dev.strata.experiments.cluster;

import static dev.strata.experiments.cluster.ClusterTestSupport.coordinatorConfig;
import static dev.strata.experiments.cluster.ClusterTestSupport.freePort;
import static dev.strata.experiments.cluster.ClusterTestSupport.stop;
import static dev.strata.experiments.cluster.ClusterTestSupport.worker;

import dev.strata.experiments.run.Budget;
import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.StudyPlan;
import dev.strata.experiments.store.RunStore;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput with 1, 2 and 3 worker processes (one thread each) on loopback, and the coordinator's
 * overhead per trial. Each trial sleeps a fixed time and reports 3 epochs, so the ideal rate is
 * {@code workers / sleep}. The coordinator records into the store as {@code strata run --cluster}
 * does (each trial's worker, the workers table, cluster events). Prints lines starting with {@code
 * BENCH}; run by {@code bench/cluster.sh}.
 *
 * <pre>
 *   latency overhead per trial = wall × workers / trials − sleep   (time a worker slot is not training)
 *   coordinator CPU per trial  = coordinator process CPU time during the run / trials
 * </pre>
 */
@EnabledIfSystemProperty(named = "strata.bench", matches = "true")
class ClusterBenchmark {

  @Test
  void throughputWithOneTwoAndThreeWorkers(@TempDir Path tmp) throws Exception {
    int trials = Integer.getInteger("strata.bench.trials", 60);
    int sleepMs = Integer.getInteger("strata.bench.sleepMs", 200);
    JsonObject experiment = new JsonObject().put("epochs", 3).put("fixedSleepMs", sleepMs);
    // -Dstrata.bench.record=false measures the coordinator without the store recording, for comparison
    boolean record = Boolean.parseBoolean(System.getProperty("strata.bench.record", "true"));
    for (int workers = 1; workers <= 3; workers++) {
      String cluster = "bench" + workers + "x" + System.nanoTime() % 100000;
      int port = freePort();
      List<Process> processes = new ArrayList<>();
      ClusterRecorder recorder = new ClusterRecorder();
      try (ClusterCoordinator c = ClusterCoordinator.builder(coordinatorConfig(cluster, port, freePort(), null),
          experiment.encode()).pullWait(Duration.ofSeconds(2))
          .events(record ? recorder : null).start()) {
        recorder.snapshots(c::snapshot);
        for (int w = 1; w <= workers; w++) {
          processes.add(worker(cluster, port, "w" + w, 1, tmp.resolve("cache"), tmp.resolve("w" + workers + "-" + w + ".log"),
              null));
        }
        int expected = workers;
        long until = System.nanoTime() + 90_000_000_000L;
        while (c.snapshot().activeWorkers() < expected && System.nanoTime() < until) {
          Thread.sleep(50);
        }
        RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(workers).reproducible(false)
            .experimentSeed(1).budget(Budget.trials(trials)).build();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (RunStore store = RunStore.create(tmp.resolve("run" + workers), "bench", "loss", plan.direction(), "{}",
            RunStore.Durability.NORMAL);
            ClusterRecorder recording = record ? recorder.attach(store) : null) {
          long cpu0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          Runner.builder(plan, c, store).strategies(Fixtures.STRATEGIES).build().run();
          double wall = (System.nanoTime() - t0) / 1e9;
          double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
          double perHour = trials / wall * 3600;
          double ideal = workers * 3600.0 / (sleepMs / 1000.0);
          double overheadMs = (wall * workers / trials - sleepMs / 1000.0) * 1000;
          System.out.printf(Locale.ROOT, "BENCH cluster record=%s workers=%d trials=%d sleep=%dms wall=%.2fs trials/hour=%.0f"
                  + " (ideal %.0f, %.0f%%) slot-overhead/trial=%.1fms coordinator-cpu/trial=%.2fms%n",
              record, workers, trials, sleepMs, wall, perHour, ideal, 100 * perHour / ideal, overheadMs, cpuMs / trials);
        }
      } finally {
        stop(processes.toArray(Process[]::new));
      }
    }
  }
}
