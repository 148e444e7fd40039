package dev.strata.experiments.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A coordinator played by plain event-bus consumers, for tests that script what each endpoint
 * answers (registration, pulls, results ...) and watch a real {@link ClusterWorker} react.
 */
final class StandInCoordinator implements AutoCloseable {

  private final ClusterNode node;
  private final String cluster;
  private final MessageAuth auth;
  private final long pollDelayMs;
  private final List<CompletableFuture<Void>> ready = new ArrayList<>();

  private StandInCoordinator(ClusterNode node, String cluster, long pollDelayMs) {
    this.node = node;
    this.cluster = cluster;
    this.auth = new MessageAuth(cluster, null);
    this.pollDelayMs = pollDelayMs;
  }

  /** Joins cluster {@code cluster} on {@code port}; empty answers are held {@code pollDelayMs}. */
  static StandInCoordinator start(String cluster, int port, long pollDelayMs) {
    ClusterConfig config = ClusterConfig.builder().clusterName(cluster).port(port).eventBusPort(0)
        .heartbeat(Duration.ofMillis(500)).workerTimeout(Duration.ofSeconds(4)).build();
    return new StandInCoordinator(ClusterNode.start(config), cluster, pollDelayMs);
  }

  /**
   * Answers requests to {@code endpoint} with {@code answer}; a null answer (nothing to hand out)
   * is sent as an empty object after the poll delay, as the coordinator answers a long poll.
   */
  StandInCoordinator serve(String endpoint, Function<JsonObject, JsonObject> answer) {
    var consumer = node.vertx().eventBus().<Buffer>consumer(Protocol.address(cluster, endpoint), (Message<Buffer> m) -> {
      JsonObject answered = answer.apply(new JsonObject(m.body()));
      Buffer reply = (answered == null ? new JsonObject() : answered).toBuffer();
      if (answered == null) {
        node.vertx().setTimer(pollDelayMs, id -> m.reply(reply, auth.reply(m.headers(), reply)));
      } else {
        m.reply(reply, auth.reply(m.headers(), reply));
      }
    });
    ready.add(consumer.completion().toCompletionStage().toCompletableFuture());
    return this;
  }

  /** Waits until every served endpoint is registered cluster-wide. */
  void awaitReady() throws Exception {
    for (CompletableFuture<Void> f : ready) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
