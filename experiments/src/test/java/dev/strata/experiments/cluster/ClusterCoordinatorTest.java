package dev.strata.experiments.cluster;

import dev.strata.runs.RunState;
import static dev.strata.experiments.cluster.ClusterTestSupport.awaitTrue;
import static dev.strata.experiments.cluster.ClusterTestSupport.coordinatorConfig;
import static dev.strata.experiments.cluster.ClusterTestSupport.freePort;
import static dev.strata.experiments.cluster.ClusterTestSupport.logs;
import static dev.strata.experiments.cluster.ClusterTestSupport.outcomes;
import static dev.strata.experiments.cluster.ClusterTestSupport.plan;
import static dev.strata.experiments.cluster.ClusterTestSupport.read;
import static dev.strata.experiments.cluster.ClusterTestSupport.runAlone;
import static dev.strata.experiments.cluster.ClusterTestSupport.stop;
import static dev.strata.experiments.cluster.ClusterTestSupport.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.RunSummary;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Datasets;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator with real worker JVMs on loopback, driven by the real {@link Runner} and {@link
 * RunStore}: distribution, a SIGKILLed worker, a frozen worker whose result comes late, and a
 * SIGKILLed coordinator resumed by a new one. Every run is compared with a single-machine run of
 * the same reproducible plan: the stores must hold the same trials, configurations and metrics.
 */
class ClusterCoordinatorTest {

  private static final String SECRET = "test-secret-0123456789abcdef";

  private static String clusterName() {
    return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
  }

  @Test
  @Timeout(150)
  void trialsSpreadOverTwoWorkersAndMatchASingleMachineRun(@TempDir Path tmp) throws Exception {
    String cluster = clusterName();
    int port = freePort();
    int bus = freePort();
    JsonObject experiment = new JsonObject().put("epochs", 3).put("maxSleepMs", 120).put("dataset", true);
    Dataset data = Datasets.load("spiral");
    RunPlan plan = plan(6, 3);
    List<ClusterEvent> events = Collections.synchronizedList(new ArrayList<>());
    Process w1 = null;
    Process w2 = null;
    try (ClusterCoordinator c = ClusterCoordinator.builder(coordinatorConfig(cluster, port, bus, SECRET), experiment.encode())
        .dataset(data).events(events::add)
        .pullWait(Duration.ofSeconds(2)).start()) {
      w1 = worker(cluster, port, "w1", 1, tmp.resolve("cache1"), tmp.resolve("w1.log"), SECRET);
      w2 = worker(cluster, port, "w2", 1, tmp.resolve("cache2"), tmp.resolve("w2.log"), SECRET);
      awaitTrue(() -> c.snapshot().activeWorkers() == 2, 60, "two workers register", tmp);

      // A worker with another secret is refused at registration, and never gets a trial.
      ClusterWorker intruder = ClusterWorker.builder(
              ClusterConfig.builder().clusterName(cluster).port(0).eventBusPort(0).join(List.of("127.0.0.1:" + port))
                  .secret("another-secret-0123456789").heartbeat(Duration.ofMillis(500))
                  .workerTimeout(Duration.ofSeconds(4)).build(),
              new SyntheticFactory())
          .name("intruder").threads(1).cache(new DatasetCache(tmp.resolve("cache3"))).log(m -> { }).build();
      assertThrows(ClusterWorker.WorkerRefusedException.class, intruder::run);

      try (RunStore store = RunStore.create(tmp.resolve("cluster"), "cluster", "loss", plan.direction(), "{}")) {
        RunSummary summary = Runner.builder(plan, c, store).strategies(Fixtures.STRATEGIES).build().run();
        assertEquals(RunState.FINISHED, summary.state());
        // the runner records where each trial ran, from the executor's Started message
        List<String> placed = new ArrayList<>();
        try (RunReader reader = store.reader()) {
          reader.trialsAfter(0, 1000).forEach(t -> placed.add(t.id() + "@" + t.worker()));
        }
        assertEquals(18, placed.size(), placed::toString);
        assertTrue(placed.stream().allMatch(p -> p.endsWith("@w1") || p.endsWith("@w2")), placed::toString);
      }
      ClusterSnapshot s = c.snapshot();
      Map<String, Long> done = new java.util.TreeMap<>();
      s.workers().forEach(w -> done.put(w.name(), w.trialsDone()));
      assertTrue(done.get("w1") > 0 && done.get("w2") > 0, "both workers trained trials: " + done);
      assertEquals(18, done.get("w1") + done.get("w2"), "every trial once: " + done);
      assertEquals(0, s.requeued());
      assertEquals(0, s.lateResults());
      assertTrue(s.rejectedMessages() >= 1, "the intruder's registration was rejected");
    } finally {
      stop(w1, w2);
    }
    runAlone(tmp.resolve("alone"), plan, SyntheticFactory.evaluator(experiment, () -> data));
    assertEquals(outcomes(tmp.resolve("alone")), outcomes(tmp.resolve("cluster")));
    // the dataset crossed the network once per worker and sits in its cache under its hash
    assertTrue(Files.isRegularFile(tmp.resolve("cache1").resolve(data.hash() + ".bin")));
    assertTrue(Files.isRegularFile(tmp.resolve("cache2").resolve(data.hash() + ".bin")));
  }

  @Test
  @Timeout(150)
  void aKilledWorkersTrialRunsElsewhere(@TempDir Path tmp) throws Exception {
    String cluster = clusterName();
    int port = freePort();
    int bus = freePort();
    JsonObject experiment = new JsonObject().put("epochs", 3).put("maxSleepMs", 1500);
    RunPlan plan = plan(3, 2);
    List<ClusterEvent> events = Collections.synchronizedList(new ArrayList<>());
    Process w1 = null;
    Process w2 = null;
    try (ClusterCoordinator c = ClusterCoordinator.builder(coordinatorConfig(cluster, port, bus, null), experiment.encode())
        .events(events::add).pullWait(Duration.ofSeconds(2)).start()) {
      w1 = worker(cluster, port, "w1", 1, tmp.resolve("c1"), tmp.resolve("w1.log"), null);
      w2 = worker(cluster, port, "w2", 1, tmp.resolve("c2"), tmp.resolve("w2.log"), null);
      awaitTrue(() -> c.snapshot().activeWorkers() == 2, 60, "two workers register", tmp);
      Process killed = w1;
      Thread fault = Thread.ofPlatform().start(() -> {
        try {
          awaitTrue(() -> busy(c, "w1"), 60, "w1 trains", tmp);
          killed.destroyForcibly();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (RunStore store = RunStore.create(tmp.resolve("cluster"), "cluster", "loss", plan.direction(), "{}")) {
        RunSummary summary = Runner.builder(plan, c, store).strategies(Fixtures.STRATEGIES).build().run();
        assertEquals(RunState.FINISHED, summary.state());
      }
      fault.join(30_000);
      ClusterSnapshot s = c.snapshot();
      assertTrue(s.requeued() >= 1, "w1's trial was requeued: " + s);
      assertTrue(events.stream().anyMatch(e -> e.type().equals("worker-lost") && e.worker().equals("w1")), events::toString);
      assertTrue(events.stream().anyMatch(e -> e.type().equals("trial-requeued") && e.worker().equals("w1")),
          events::toString);
    } finally {
      stop(w1, w2);
    }
    runAlone(tmp.resolve("alone"), plan, SyntheticFactory.evaluator(experiment, () -> null));
    Map<String, String> alone = outcomes(tmp.resolve("alone"));
    assertEquals(9, alone.size());
    assertEquals(alone, outcomes(tmp.resolve("cluster")), () -> "nothing lost, nothing duplicated; events " + events
        + logs(tmp));
  }

  /**
   * A worker holds its trial and falls silent (test hooks, in this JVM): the coordinator declares
   * it lost and requeues the trial, another worker completes it, and only then does the held
   * result arrive: it is ignored, counted and logged, and the store keeps the second worker's.
   */
  @Test
  @Timeout(150)
  void aResultThatArrivesAfterItsTrialWasRequeuedIsIgnoredAndRecordedAsLate(@TempDir Path tmp) throws Exception {
    String cluster = clusterName();
    int port = freePort();
    int bus = freePort();
    RunPlan plan = Fixtures.plan().studies(List.of(dev.strata.experiments.run.StudyPlan.of("random", 1)))
        .parallel(1).reproducible(true).experimentSeed(7).budget(dev.strata.experiments.run.Budget.trials(2)).build();
    List<ClusterEvent> events = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean silent = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong heldTrial = new java.util.concurrent.atomic.AtomicLong();
    TrialEvaluator branin = Fixtures.branin(2, 0);
    EvaluatorFactory holdingFactory = (json, data) -> (configuration, context) -> {
      if (heldTrial.compareAndSet(0, context.trialId())) {
        holding.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        // the result it would have given, sent long after the coordinator gave up on it
        return TrialResult.completed(Map.of("loss", -1.0), 0.001);
      }
      return branin.evaluate(configuration, context);
    };
    ClusterRecorder recorder = new ClusterRecorder();
    ClusterWorker held = null;
    ClusterWorker other = null;
    try (ClusterCoordinator c = ClusterCoordinator.builder(coordinatorConfig(cluster, port, bus, null), "{}")
        .events(e -> {
          events.add(e);
          recorder.accept(e);
        })
        .pullWait(Duration.ofSeconds(2)).start()) {
      recorder.snapshots(c::snapshot);
      held = inJvmWorker(cluster, port, "held", holdingFactory, silent::get, tmp);
      Thread.ofPlatform().daemon().start(held::run);
      awaitTrue(() -> c.snapshot().activeWorkers() == 1, 60, "the holding worker registers", tmp);
      try (RunStore store = RunStore.create(tmp.resolve("cluster"), "cluster", "loss", plan.direction(), "{}");
          ClusterRecorder recording = recorder.attach(store)) {
        java.util.concurrent.CompletableFuture<RunSummary> run = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> Runner.builder(plan, c, store).strategies(Fixtures.STRATEGIES).build().run());
        assertTrue(holding.await(60, TimeUnit.SECONDS), "the holding worker took a trial");
        silent.set(true);
        awaitTrue(() -> events.stream().anyMatch(e -> e.type().equals("trial-requeued") && e.worker().equals("held")
            && e.trialId() == heldTrial.get()), 30, "the held trial is requeued", tmp);
        other = inJvmWorker(cluster, port, "w2", (json, data) -> branin, () -> false, tmp);
        Thread.ofPlatform().daemon().start(other::run);
        assertEquals(RunState.FINISHED, run.get(120, TimeUnit.SECONDS).state());
        assertEquals(0, c.snapshot().lateResults(), "nothing late yet");

        release.countDown();
        awaitTrue(() -> events.stream().anyMatch(e -> e.type().equals("late-result")), 60, "the held result arrives",
            tmp);
        assertEquals(1, c.snapshot().lateResults());
        List<ClusterEvent> late = events.stream().filter(e -> e.type().equals("late-result")).toList();
        assertEquals(1, late.size(), events::toString);
        assertEquals("held", late.getFirst().worker());
        assertEquals(heldTrial.get(), late.getFirst().trialId());
        ClusterSnapshot s = c.snapshot();
        assertEquals(1, s.requeued(), s::toString);
        assertEquals(2, s.workers().stream().filter(w -> w.name().equals("w2")).findFirst().orElseThrow().trialsDone());
        assertEquals(0, s.workers().stream().filter(w -> w.name().equals("held")).findFirst().orElseThrow().trialsDone());
        var trial = store.trial(heldTrial.get()).orElseThrow();
        assertEquals(dev.strata.search.trial.TrialStatus.COMPLETED, trial.status());
        assertEquals("w2", trial.worker(), "the store names the worker that really trained it");
        assertTrue(trial.value() >= 0, "the held result (loss -1) was not recorded: " + trial.value());
        // the cluster events reach the run's event log (written by the recorder's thread)
        try (RunReader reader = store.reader()) {
          awaitTrue(() -> reader.eventsAfter(0, 10_000).stream().anyMatch(e -> e.type().equals("cluster")
              && e.json().contains("late-result")), 30, "the late result is in the event log", tmp);
        }
      }
      try (RunReader reader = RunStore.openReader(tmp.resolve("cluster"))) {
        Map<String, String> states = new java.util.TreeMap<>();
        reader.workers().forEach(w -> states.put(w.name(), w.state() + "/" + w.trialsDone()));
        assertEquals("left/2", states.get("w2"), "workers as the dashboard sees them: " + states);
        // held is lost, or (if it registered again after its result was refused) left when the session ended
        assertTrue(Set.of("lost/0", "left/0").contains(states.get("held")), states::toString);
        assertEquals(2, states.size(), states::toString);
      }
    } finally {
      release.countDown();
      for (ClusterWorker w : new ClusterWorker[] {held, other}) {
        if (w != null) {
          w.close();
        }
      }
    }
  }

  @Test
  @Timeout(180)
  void aKilledCoordinatorIsResumedAndTheWorkerReconnects(@TempDir Path tmp) throws Exception {
    String cluster = clusterName();
    int port = freePort();
    int bus = freePort();
    String experiment = new JsonObject().put("epochs", 3).put("maxSleepMs", 600).encode();
    Path runDir = tmp.resolve("cluster");
    Process first = null;
    Process second = null;
    Process w1 = null;
    try {
      first = coordinator(runDir, cluster, port, bus, experiment, tmp.resolve("coordinator1.log"));
      w1 = worker(cluster, port, "w1", 2, tmp.resolve("c1"), tmp.resolve("w1.log"), null);
      awaitTrue(() -> finished(runDir) >= 4, 90, "four trials finish", tmp);
      first.destroyForcibly();
      first.waitFor();
      second = coordinator(runDir, cluster, port, bus, experiment, tmp.resolve("coordinator2.log"));
      assertTrue(second.waitFor(120, TimeUnit.SECONDS), () -> "the resumed coordinator finishes" + logs(tmp));
      assertEquals(0, second.exitValue(), () -> read(tmp.resolve("coordinator2.log")));
      String log = read(tmp.resolve("w1.log"));
      assertTrue(log.indexOf("registered") != log.lastIndexOf("registered"), "the worker registered twice:\n" + log);
    } finally {
      stop(first, second, w1);
    }
    runAlone(tmp.resolve("alone"), plan(4, 2), SyntheticFactory.evaluator(new JsonObject(experiment), () -> null));
    Map<String, String> alone = outcomes(tmp.resolve("alone"));
    assertEquals(12, alone.size());
    assertEquals(alone, outcomes(runDir));
  }

  // ------------------------------------------------------------------ helpers

  private static ClusterWorker inJvmWorker(String cluster, int port, String name, EvaluatorFactory factory,
      BooleanSupplier silent, Path tmp) {
    return ClusterWorker.builder(ClusterConfig.builder().clusterName(cluster).port(0).eventBusPort(0)
                .join(List.of("127.0.0.1:" + port)).heartbeat(Duration.ofMillis(500))
                .workerTimeout(Duration.ofSeconds(4)).build(), factory)
        .name(name).threads(1).cache(new DatasetCache(tmp.resolve("cache-" + name))).log(m -> { })
        .pauseHeartbeats(silent).build();
  }

  private static Process coordinator(Path runDir, String cluster, int port, int bus, String experiment, Path log)
      throws Exception {
    List<String> cmd = ClusterTestSupport.java(CoordinatorMain.class.getName());
    cmd.addAll(List.of(runDir.toString(), cluster, Integer.toString(port), Integer.toString(bus), "4", "2", experiment));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static long finished(Path runDir) {
    if (!RunStore.exists(runDir)) {
      return 0;
    }
    try (RunReader reader = RunStore.openReader(runDir)) {
      return reader.eventsAfter(0, 100_000).stream().map(RunEvent::type).filter("trial-finished"::equals).count();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static boolean busy(ClusterCoordinator c, String worker) {
    return c.snapshot().workers().stream().anyMatch(w -> w.name().equals(worker) && !w.currentTrials().isEmpty());
  }

  private static void signal(String signal, long pid) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
