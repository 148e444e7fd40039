package dev.strata.dashboard;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A test client for the event stream: parses frames as they arrive. Thread-safe to read. */
final class SseClient {

  /** One parsed frame; {@code id} is -1 when the frame had none. */
  record Frame(long id, String event, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  final List<Frame> frames = new CopyOnWriteArrayList<>();
  volatile int status;
  volatile MultiMap headers;
  volatile boolean ended;
  private final StringBuilder pending = new StringBuilder();
  private HttpClientRequest request;

  /** Connects; the future completes once the response headers are in. */
  static Future<SseClient> connect(HttpClient client, int port, String uri, Map<String, String> headers) {
    SseClient sse = new SseClient();
    RequestOptions o = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(HttpMethod.GET).setURI(uri);
    headers.forEach(o::putHeader);
    return client.request(o).compose(req -> {
      sse.request = req;
      // Handlers attached before the request is sent: no frame can arrive before them.
      Future<SseClient> connected = req.response().map(resp -> {
        sse.status = resp.statusCode();
        sse.headers = resp.headers();
        resp.handler(sse::onData);
        resp.endHandler(v -> sse.ended = true);
        resp.exceptionHandler(e -> sse.ended = true);
        return sse;
      });
      req.end();
      return connected;
    });
  }

  synchronized void onData(Buffer b) {
    pending.append(b.toString());
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      parse(block).ifPresent(frames::add);
    }
  }

  static java.util.Optional<Frame> parse(String block) {
    long id = -1;
    String event = "message";
    StringBuilder data = null;
    for (String line : block.split("\n")) {
      if (line.startsWith("id:")) {
        id = Long.parseLong(line.substring(3).trim());
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line.substring(5).trim());
      }
    }
    return data == null ? java.util.Optional.empty() : java.util.Optional.of(new Frame(id, event, data.toString()));
  }

  /** The ids of the frames of run events (not resync). */
  List<Long> eventIds() {
    List<Long> ids = new ArrayList<>();
    for (Frame f : frames) {
      if (!f.event().equals("resync")) {
        ids.add(f.id());
      }
    }
    return ids;
  }

  long lastEventId() {
    List<Long> ids = eventIds();
    return ids.isEmpty() ? -1 : ids.getLast();
  }

  void close() {
    if (request != null) {
      request.reset();
    }
  }

  /** Waits until the condition holds, failing after {@code millis}. */
  static void await(BooleanSupplier condition, long millis, String what) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
