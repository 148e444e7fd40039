package dev.strata.experiments.cluster;

import static dev.strata.experiments.cluster.ClusterTestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.run.TrialResult;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker names no experiment of its own and serves whichever coordinator its cluster has
 * (docs/cluster.md, "What a worker runs"). When it registers again and the coordinator now runs
 * another experiment, it says so in one line, builds its evaluator from the new experiment, and
 * from then on refuses tasks of the old one. A stand-in coordinator (plain event-bus consumers)
 * plays both coordinators.
 */
class ClusterWorkerExperimentTest {

  @Test
  @Timeout(120)
  void aWorkerOfferedAnotherExperimentSaysSoAndSwitches(@TempDir Path tmp) throws Exception {
    String cluster = "x" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
    int port = freePort();
    String a = new JsonObject().put("name", "a").put("seed", 1).encode();
    String b = new JsonObject().put("name", "b").put("seed", 2).encode();
    AtomicReference<String> current = new AtomicReference<>(a);
    AtomicInteger registrations = new AtomicInteger();
    AtomicBoolean forget = new AtomicBoolean();
    ArrayDeque<JsonObject> tasks = new ArrayDeque<>();
    Map<String, JsonObject> results = new ConcurrentHashMap<>();
    List<String> built = Collections.synchronizedList(new ArrayList<>());
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    EvaluatorFactory factory = (json, data) -> {
      String name = new JsonObject(json).getString("name");
      built.add(name);
      return (configuration, context) -> TrialResult.completed(Map.of("loss", name.equals("a") ? 1.0 : 2.0), 0);
    };
    ClusterWorker worker = null;
    try (StandInCoordinator coordinator = StandInCoordinator.start(cluster, port, 300)) {
      coordinator.serve(Protocol.REGISTER, hello -> {
        forget.set(false);
        String experiment = current.get();
        return new JsonObject().put("session", "s" + registrations.incrementAndGet()).put("name", "w1")
            .put("experiment", experiment).put("experimentId", Protocol.experimentId(experiment))
            .put("heartbeatMs", 500L).put("timeoutMs", 4_000L).put("pullWaitMs", 300L);
      });
      coordinator.serve(Protocol.PULL, pull -> {
        synchronized (tasks) {
          return tasks.isEmpty() ? null : new JsonObject().put("task", tasks.removeFirst());
        }
      });
      coordinator.serve(Protocol.RESULT, result -> {
        results.put(result.getString("lease"), result);
        return new JsonObject().put("accepted", true);
      });
      coordinator.serve(Protocol.HEARTBEAT, beat -> new JsonObject().put("known", !forget.get()));
      coordinator.serve(Protocol.EPOCH, epoch -> new JsonObject().put("continue", true));
      coordinator.serve(Protocol.LEAVE, leave -> new JsonObject());
      coordinator.awaitReady();
      synchronized (tasks) {
        tasks.add(task("lease-a1", a));
      }
      worker = ClusterWorker.builder(ClusterConfig.builder().clusterName(cluster).port(0).eventBusPort(0)
              .join(List.of("127.0.0.1:" + port)).heartbeat(Duration.ofMillis(500))
              .workerTimeout(Duration.ofSeconds(4)).build(), factory)
          .name("w1").threads(1).cache(new DatasetCache(tmp.resolve("cache"))).log(log::add).build();
      Thread.ofPlatform().daemon().start(worker::run);
      await(() -> results.containsKey("lease-a1"), "the task of experiment a is answered", log);

      // The coordinator of a is gone; one of b is there: the worker registers again and is offered b.
      current.set(b);
      forget.set(true);
      await(() -> registrations.get() >= 2, "the worker registers again", log);
      synchronized (tasks) {
        tasks.add(task("lease-b1", b));
        tasks.add(task("lease-a2", a));
      }
      await(() -> results.containsKey("lease-b1") && results.containsKey("lease-a2"), "both tasks are answered", log);

      assertEquals("COMPLETED", results.get("lease-a1").getJsonObject("result").getString("status"));
      JsonObject onB = results.get("lease-b1");
      assertNull(onB.getString("error"), onB::encode);
      assertEquals("COMPLETED", onB.getJsonObject("result").getString("status"), onB::encode);
      assertTrue(results.get("lease-a2").getString("error", "").contains("refused the trial"),
          () -> "after switching, a task of the old experiment is refused: " + results.get("lease-a2").encode());
      assertEquals(List.of("a", "b"), built, "one evaluator per experiment");
      String line = "worker w1: coordinator now runs experiment b (sha " + Protocol.experimentId(b).substring(0, 12)
          + "), was a (sha " + Protocol.experimentId(a).substring(0, 12) + ") (1 trial trained for it);"
          + " switching to the new one";
      assertEquals(1, log.stream().filter(line::equals).count(), () -> "the switch is one line:\n" + String.join("\n", log));
    } finally {
      if (worker != null) {
        worker.close();
      }
    }
  }

  private static JsonObject task(String lease, String experiment) {
    return Protocol.toJson(new Protocol.Task(lease, Protocol.experimentId(experiment), 1, 5, 0, 0, "{\"x\":0.5}", null));
  }

  private static void await(BooleanSupplier condition, String what, List<String> log) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError(what + " within 60 s; worker log:\n" + String.join("\n", log));
      }
      Thread.sleep(50);
    }
  }
}
