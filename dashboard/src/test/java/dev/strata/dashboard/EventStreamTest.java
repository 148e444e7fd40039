package dev.strata.dashboard;

import static dev.strata.dashboard.SseClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Direction;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server-sent event stream: order, resume without gaps or duplicates, backpressure, clean-up. */
@ExtendWith(VertxExtension.class)
class EventStreamTest {

  Dashboard dashboard;
  InMemoryRun run;

  @AfterEach
  void close() {
    if (dashboard != null) {
      dashboard.close().await();
    }
  }

  private int start(Vertx vertx, RunHandle handle, DashboardOptions.Builder options) {
    dashboard = Dashboard.start(vertx, options.port(0).build(), RunCatalog.single("r", handle)).await();
    return dashboard.actualPort();
  }

  private static InMemoryRun newRun() {
    InMemoryRun r = new InMemoryRun("r", "val_accuracy", Direction.MAXIMIZE);
    r.addStudy("random", 1, 100);
    return r;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void streamsOverHttp2WithoutConnectionHeaders(Vertx vertx) {
    run = newRun();
    int port = start(vertx, RunHandle.live(run, run, null), DashboardOptions.builder());
    // HTTP/2 forbids connection-specific headers: clients such as java.net.http reject the response.
    HttpClient h2 = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    SseClient sse = SseClient.connect(h2, port, "/api/runs/r/events", Map.of()).await();
    assertEquals(200, sse.status);
    assertEquals(null, sse.headers.get("Connection"));
    assertEquals(null, sse.headers.get("Transfer-Encoding"));
    for (int i = 0; i < 5; i++) {
      run.emit("epoch", "{\"trialId\":1,\"epoch\":" + i + "}");
    }
    await(() -> sse.lastEventId() == 5, 5000, "5 events over HTTP/2");
    assertEquals(range(1, 5), sse.eventIds());
    sse.close();
  }

  @Test
  void aNewClientGetsNewEventsInOrderWithIdsAndStreamHeaders(Vertx vertx) {
    run = newRun();
    run.emit("experiment", "{\"state\":\"running\"}"); // before the client: not replayed
    int port = start(vertx, RunHandle.live(run, run, null), DashboardOptions.builder());
    HttpClient http = vertx.createHttpClient();
    SseClient sse = SseClient.connect(http, port, "/api/runs/r/events", Map.of()).await();
    assertEquals(200, sse.status);
    assertTrue(sse.headers.get("Content-Type").startsWith("text/event-stream"));
    assertEquals("no-cache", sse.headers.get("Cache-Control"));
    assertEquals("chunked", sse.headers.get("Transfer-Encoding"));
    for (int i = 0; i < 50; i++) {
      run.emit("epoch", "{\"trialId\":1,\"epoch\":" + i + "}");
    }
    await(() -> sse.lastEventId() == 51, 5000, "50 events");
    assertEquals(range(2, 51), sse.eventIds());
    SseClient.Frame f = sse.frames.getFirst();
    assertEquals("epoch", f.event());
    assertEquals(2, f.json().getLong("id"));
    assertEquals(0, f.json().getJsonObject("data").getInteger("epoch"));
    sse.close();
  }

  @Test
  void reconnectingWithLastEventIdResumesWithoutGapsOrDuplicates(Vertx vertx) throws Exception {
    run = newRun();
    int port = start(vertx, RunHandle.live(run, run, null), DashboardOptions.builder());
    HttpClient http = vertx.createHttpClient();
    SseClient first = SseClient.connect(http, port, "/api/runs/r/events?after=0", Map.of()).await();
    AtomicBoolean publishing = new AtomicBoolean(true);
    int total = 3000;
    Thread publisher = Thread.ofPlatform().start(() -> {
      for (int i = 1; i <= total; i++) {
        run.emit("epoch", "{\"trialId\":7,\"epoch\":" + i + "}");
        if (i % 20 == 0) {
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      publishing.set(false);
    });
    await(() -> first.eventIds().size() >= 200, 10_000, "the first 200 events");
    first.close();
    long seen = first.lastEventId();
    Thread.sleep(50); // more events are published while the client is away
    SseClient second = SseClient.connect(http, port, "/api/runs/r/events", Map.of("Last-Event-ID", String.valueOf(seen))).await();
    publisher.join();
    await(() -> second.lastEventId() == total, 15_000, "every event after the reconnect");
    List<Long> all = new ArrayList<>(first.eventIds().stream().filter(id -> id <= seen).toList());
    all.addAll(second.eventIds());
    assertEquals(range(1, total), all, "no gap and no duplicate across the reconnect");
    assertTrue(seen < total, "the client reconnected before the end");
    second.close();
  }

  @Test
  void theAfterParameterCatchesUpFromTheStoreInBatches(Vertx vertx) {
    run = newRun();
    for (int i = 0; i < 1234; i++) {
      run.emit("epoch", "{\"i\":" + i + "}");
    }
    int port = start(vertx, RunHandle.live(run, run, null), DashboardOptions.builder());
    HttpClient http = vertx.createHttpClient();
    SseClient sse = SseClient.connect(http, port, "/api/runs/r/events?after=10", Map.of()).await();
    await(() -> sse.lastEventId() == 1234, 5000, "the stored events");
    run.emit("epoch", "{\"live\":true}");
    await(() -> sse.lastEventId() == 1235, 5000, "a live event after the catch-up");
    assertEquals(range(11, 1235), sse.eventIds());
    sse.close();
  }

  @Test
  void runsWithoutLiveEventsArePolled(Vertx vertx) {
    run = newRun();
    int port = start(vertx, RunHandle.of(run), DashboardOptions.builder().pollInterval(Duration.ofMillis(100)));
    HttpClient http = vertx.createHttpClient();
    SseClient sse = SseClient.connect(http, port, "/api/runs/r/events", Map.of()).await();
    for (int i = 0; i < 30; i++) {
      run.emit("trial-finished", "{\"trialId\":" + i + "}");
    }
    await(() -> sse.lastEventId() == 30, 5000, "polled events");
    assertEquals(range(1, 30), sse.eventIds());
    sse.close();
  }

  @Test
  void aSlowClientIsToldToResyncWhileThePublisherAndOtherClientsGoOn(Vertx vertx) throws Exception {
    run = newRun();
    int port = start(vertx, RunHandle.live(run, run, null), DashboardOptions.builder().clientQueueLimit(20));
    HttpClient http = vertx.createHttpClient();
    SseClient fast = SseClient.connect(http, port, "/api/runs/r/events", Map.of()).await();

    // A client that sends its request and then stops reading.
    StringBuilder slowText = new StringBuilder();
    AtomicBoolean slowClosed = new AtomicBoolean();
    NetSocket slow = vertx.createNetClient(new NetClientOptions().setReceiveBufferSize(4096)).connect(port, "127.0.0.1").await();
    slow.handler(b -> {
      synchronized (slowText) {
        slowText.append(b.toString());
      }
    });
    slow.closeHandler(v -> slowClosed.set(true));
    slow.write("GET /api/runs/r/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").await();
    Thread.sleep(300); // the server has registered the client
    slow.pause();

    String payload = "{\"pad\":\"" + "x".repeat(4000) + "\"}";
    int total = 3000;
    long t0 = System.nanoTime();
    for (int i = 0; i < total; i++) {
      run.emit("epoch", payload);
    }
    long publishMillis = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(publishMillis < 3000, "publishing 3000 events took " + publishMillis + " ms: the publisher must not wait for clients");

    // A reading client keeps up or, on a slow host, is itself told to resync: it then reconnects as a
    // browser does, and must still see every event exactly once.
    assertEquals(range(1, total), followToTheEnd(http, port, fast, total), "the reading client missed or repeated events");

    slow.resume();
    await(slowClosed::get, 20_000, "the slow client to be disconnected");
    String text;
    synchronized (slowText) {
      text = slowText.toString();
    }
    String body = text.substring(text.indexOf("\r\n\r\n") + 4);
    List<Long> ids = new ArrayList<>();
    long resyncId = -1;
    for (String chunkLine : body.replace("\r\n", "\n").split("\n\n")) {
      for (String block : List.of(chunkLine)) {
        int idAt = block.indexOf("id: ");
        if (idAt < 0) {
          continue;
        }
        long id = Long.parseLong(block.substring(idAt + 4, block.indexOf('\n', idAt)).trim());
        if (block.contains("event: resync")) {
          resyncId = id;
        } else {
          ids.add(id);
        }
      }
    }
    assertTrue(resyncId >= 0, "the slow client got event: resync");
    assertTrue(resyncId < total, "the slow client fell behind");
    assertEquals(range(1, resyncId), ids, "what it got before the resync has no gap");

    long from = resyncId;
    SseClient again = SseClient.connect(http, port, "/api/runs/r/events", Map.of("Last-Event-ID", String.valueOf(from))).await();
    await(() -> again.lastEventId() == total, 20_000, "the catch-up after the resync");
    assertEquals(range(from + 1, total), again.eventIds());
    again.close();
  }

  /** Reads until {@code total}, reconnecting from the last delivered id after each resync, as the page does. */
  private static List<Long> followToTheEnd(HttpClient http, int port, SseClient first, long total) {
    List<Long> ids = new ArrayList<>();
    SseClient client = first;
    for (int reconnects = 0; ; reconnects++) {
      SseClient c = client;
      await(() -> c.lastEventId() == total || c.ended, 20_000, "the reading client to get every event or a resync");
      ids.addAll(c.eventIds());
      if (c.lastEventId() == total) {
        c.close();
        return ids;
      }
      assertTrue(c.frames.stream().anyMatch(f -> f.event().equals("resync")), "the stream ended without a resync");
      assertTrue(reconnects < 200, "the reading client reconnected 200 times without catching up");
      long from = c.frames.getLast().json().getLong("lastEventId");
      client = SseClient.connect(http, port, "/api/runs/r/events", Map.of("Last-Event-ID", String.valueOf(from))).await();
    }
  }

  @Test
  void consumersAreUnregisteredWhenClientsLeave(Vertx vertx) {
    run = newRun();
    int port = start(vertx, RunHandle.live(run, run, null), DashboardOptions.builder());
    HttpClient http = vertx.createHttpClient();
    List<SseClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clients.add(SseClient.connect(http, port, "/api/runs/r/events", Map.of()).await());
    }
    String address = dashboard.addresses().events("r");
    DeliveryOptions probe = new DeliveryOptions(LocalCodec.LOCAL).setSendTimeout(200);
    assertEquals(ReplyFailure.TIMEOUT, probeFailure(vertx, address, probe), "consumers are registered while clients listen");
    clients.forEach(SseClient::close);
    await(() -> probeFailure(vertx, address, probe) == ReplyFailure.NO_HANDLERS, 5000, "every consumer to be unregistered");
    assertEquals(1, run.listenerCount(), "one subscription to the run, however many clients");
  }

  private static ReplyFailure probeFailure(Vertx vertx, String address, DeliveryOptions options) {
    try {
      vertx.eventBus().request(address, new SseFrame(0, ""), options).await();
      return null;
    } catch (ReplyException e) {
      return e.failureType();
    }
  }

  @Test
  void aMalformedLastEventIdIs400(Vertx vertx) {
    run = newRun();
    int port = start(vertx, RunHandle.live(run, run, null), DashboardOptions.builder());
    HttpClient http = vertx.createHttpClient();
    var r = TestRuns.send(http, port, io.vertx.core.http.HttpMethod.GET, "/api/runs/r/events", Map.of("Last-Event-ID", "abc")).await();
    assertEquals(400, r.status());
    var r2 = TestRuns.get(http, port, "/api/runs/r/events?after=-5").await();
    assertEquals(400, r2.status());
    Buffer unused = Buffer.buffer();
    assertEquals(0, unused.length());
  }
}
