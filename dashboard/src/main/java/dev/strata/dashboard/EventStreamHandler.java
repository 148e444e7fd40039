package dev.strata.dashboard;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.List;

/**
 * {@code GET /api/runs/:name/events}: a run's events as server-sent events.
 *
 * <p>Each client gets every event after its cursor exactly once, in id order: the cursor is the
 * {@code Last-Event-ID} header of a reconnecting browser, else the {@code after} query
 * parameter, else the run's newest event id (only new events). Events the client missed are read
 * from the store first; live events that arrive meanwhile wait in the client's queue, and any gap
 * between the two is filled from the store again.
 *
 * <p>Backpressure: frames go to the socket only while its write queue has room; the rest wait in
 * a per-client queue of at most {@link DashboardOptions#clientQueueLimit()} frames. A client whose
 * queue overflows gets {@code event: resync} (carrying its last delivered id) and is disconnected;
 * its browser reconnects with {@code Last-Event-ID} and catches up from the store. The publisher
 * never waits for a client. The bus consumer is unregistered when the connection ends or closes.
 */
final class EventStreamHandler implements Handler<RoutingContext> {

  static final int CATCH_UP_BATCH = 500;
  static final long HEARTBEAT_MILLIS = 15_000;
  /** Bytes the socket may hold before a client counts as slow. */
  static final int SOCKET_QUEUE_BYTES = 64 * 1024;
  static final long UNREGISTER_DELAY_MILLIS = 250;

  private final Vertx vertx;
  private final Addresses addresses;
  private final int queueLimit;

  EventStreamHandler(Vertx vertx, Addresses addresses, int queueLimit) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.queueLimit = queueLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String run = ctx.pathParam("name");
    String cursorText = ctx.request().getHeader("Last-Event-ID");
    if (cursorText == null || cursorText.isBlank()) {
      cursorText = ctx.request().getParam("after");
    }
    long cursor = -1;
    if (cursorText != null && !cursorText.isBlank()) {
      try {
        cursor = Long.parseLong(cursorText.trim());
      } catch (NumberFormatException e) {
        cursor = -2;
      }
      if (cursor < 0) {
        HttpVerticle.error(ctx, 400, "Last-Event-ID / after must be a non-negative integer, got '" + cursorText + "'");
        return;
      }
    }
    new Client(ctx, run, cursor).open();
  }

  /** One connected client; touched only on the event loop of its connection. */
  private final class Client {
    final RoutingContext ctx;
    final HttpServerResponse response;
    final String run;
    final ArrayDeque<SseFrame> queue = new ArrayDeque<>();
    long cursor;
    boolean started;
    boolean catchingUp;
    boolean closed;
    boolean watching;
    MessageConsumer<SseFrame> consumer;
    long heartbeat = -1;

    Client(RoutingContext ctx, String run, long cursor) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.run = run;
      this.cursor = cursor;
    }

    void open() {
      consumer = vertx.eventBus().consumer(addresses.events(run), m -> onFrame(m.body()));
      response.closeHandler(v -> close());
      response.endHandler(v -> close());
      response.exceptionHandler(e -> close());
      consumer.completion()
          .compose(v -> vertx.eventBus().<JsonObject>request(addresses.watch(), new JsonObject().put("run", run)))
          .onComplete(ar -> {
            if (ar.failed()) {
              if (consumer != null) {
                consumer.unregister();
                consumer = null;
              }
              int status = ar.cause() instanceof ReplyException re && re.failureCode() > 0 ? re.failureCode() : 500;
              if (!closed) {
                closed = true;
                HttpVerticle.error(ctx, status, ar.cause().getMessage());
              }
              return;
            }
            watching = true;
            if (closed) {
              close();
              return;
            }
            long lastId = ar.result().body().getLong("lastId");
            response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Encoding", "identity")
                .putHeader("X-Accel-Buffering", "no")
                .setWriteQueueMaxSize(SOCKET_QUEUE_BYTES);
            if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
              // HTTP/2 (e.g. after an h2c upgrade) forbids connection headers; clients then reject the response.
              response.putHeader("Connection", "keep-alive");
            }
            response.write("retry: 2000\n\n");
            started = true;
            heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> {
              if (!closed && !response.writeQueueFull()) {
                response.write(": keep-alive\n\n");
              }
            });
            if (cursor < 0) {
              cursor = lastId;
              pump();
            } else if (cursor > lastId) {
              // Past the store's newest event (a restored or replaced run): say where the store is,
              // so the page reloads its views and follows from there instead of waiting in silence.
              response.write(SseFrame.resync(lastId, "Last-Event-ID " + cursor + " is past the run's newest event " + lastId));
              cursor = lastId;
              pump();
            } else {
              catchUp();
            }
          });
    }

    void onFrame(SseFrame f) {
      if (closed || f.id() <= cursor) {
        return;
      }
      if (queue.size() >= queueLimit) {
        if (catchingUp || !started) {
          queue.clear(); // the store has them; the catch-up after this one reads them
          return;
        }
        resync();
        return;
      }
      queue.add(f);
      pump();
    }

    void pump() {
      if (closed || !started || catchingUp || cursor < 0) {
        return;
      }
      while (!queue.isEmpty()) {
        if (response.writeQueueFull()) {
          response.drainHandler(v -> pump());
          return;
        }
        SseFrame f = queue.peek();
        if (f.id() <= cursor) {
          queue.poll();
          continue;
        }
        if (f.id() != cursor + 1) {
          catchUp(); // a gap: read the missing events from the store
          return;
        }
        queue.poll();
        response.write(f.text());
        cursor = f.id();
      }
    }

    void catchUp() {
      if (closed || !started) {
        return;
      }
      if (response.writeQueueFull()) {
        catchingUp = true;
        response.drainHandler(v -> {
          catchingUp = false;
          catchUp();
        });
        return;
      }
      catchingUp = true;
      JsonObject req = new JsonObject().put("action", "eventsAfter").put("run", run).put("after", cursor).put("limit", CATCH_UP_BATCH);
      vertx.eventBus().<List<SseFrame>>request(addresses.api(), req).onComplete(ar -> {
        if (closed) {
          return;
        }
        if (ar.failed()) {
          catchingUp = false;
          response.end();
          return;
        }
        List<SseFrame> frames = ar.result().body();
        for (SseFrame f : frames) {
          if (f.id() > cursor) {
            response.write(f.text());
            cursor = f.id();
          }
        }
        if (frames.size() == CATCH_UP_BATCH) {
          catchUp();
          return;
        }
        catchingUp = false;
        SseFrame next = queue.peek();
        while (next != null && next.id() <= cursor) {
          queue.poll();
          next = queue.peek();
        }
        if (next != null && next.id() != cursor + 1 && !frames.isEmpty()) {
          catchUp();
          return;
        }
        if (next != null && next.id() != cursor + 1) {
          cursor = next.id() - 1; // the store has nothing in between: accept the gap rather than loop
        }
        pump();
      });
    }

    void resync() {
      queue.clear();
      response.write(SseFrame.resync(cursor));
      HttpServerRequest request = ctx.request();
      response.end().onComplete(v -> {
        if (request.version() != HttpVersion.HTTP_2) {
          request.connection().close(); // free the socket at once; the browser reconnects on a new one
        }
      });
      close();
    }

    void close() {
      closed = true;
      queue.clear();
      if (heartbeat >= 0) {
        vertx.cancelTimer(heartbeat);
        heartbeat = -1;
      }
      if (consumer != null) {
        // Frames already queued for this consumer are drained by a no-op handler, then it is
        // unregistered: unregistering at once would log a warning for each of them.
        MessageConsumer<SseFrame> c = consumer;
        consumer = null;
        c.handler(m -> {});
        vertx.setTimer(UNREGISTER_DELAY_MILLIS, id -> c.unregister());
      }
      if (watching) {
        watching = false;
        vertx.eventBus().request(addresses.unwatch(), new JsonObject().put("run", run));
      }
    }
  }
}
