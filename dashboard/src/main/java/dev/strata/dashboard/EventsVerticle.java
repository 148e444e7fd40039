package dev.strata.dashboard;

import dev.strata.runs.RunEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the runs that someone watches and publishes their events on {@link
 * Addresses#events(String)}, in id order, without gaps or duplicates.
 *
 * <p>A run with a live {@link dev.strata.runs.RunEventSource} is subscribed to: its
 * listener only hands each event to this verticle's event loop, so a slow dashboard never slows
 * the publisher. A run without one (written by another process) is polled with {@code
 * eventsAfter(lastId)} every {@link DashboardOptions#pollInterval()} while watched. Whenever a
 * live event does not follow the last published id (the subscription started late, or events
 * raced), the missing ones are read from the store first. All state is confined to this
 * verticle's event loop; store reads run on a worker.
 */
public final class EventsVerticle extends VerticleBase {

  static final int FETCH_LIMIT = 1000;
  /** Live events held while the store is read; beyond this they are dropped and re-read. */
  static final int PENDING_LIMIT = 10_000;

  private final Addresses addresses;
  private final RunService service;
  private final long pollMillis;
  private final Map<String, Follower> followers = new HashMap<>();
  private WorkerExecutor executor;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  EventsVerticle(Addresses addresses, RunService service, long pollMillis) {
    this.addresses = addresses;
    this.service = service;
    this.pollMillis = pollMillis;
  }

  @Override
  public Future<?> start() {
    executor = vertx.createSharedWorkerExecutor(addresses.prefix() + "-events", 2);
    consumers.add(vertx.eventBus().<JsonObject>consumer(addresses.watch(), this::watch));
    consumers.add(vertx.eventBus().<JsonObject>consumer(addresses.unwatch(), this::unwatch));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    followers.values().forEach(Follower::close);
    followers.clear();
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).eventually(() -> executor.close());
  }

  private void watch(Message<JsonObject> msg) {
    String run = msg.body().getString("run", "");
    Follower f = followers.get(run);
    if (f != null) {
      f.watchers++;
      f.ready.onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(new JsonObject().put("lastId", f.lastId));
        } else {
          fail(msg, ar.cause());
        }
      });
      return;
    }
    Follower created = new Follower(run);
    created.watchers = 1;
    followers.put(run, created);
    created.ready = executor.executeBlocking(() -> {
      RunHandle h = service.handle(run);
      return new Object[] {h, h.reader().lastEventId()};
    }, false).map(o -> {
      created.start((RunHandle) o[0], (Long) o[1]);
      return null;
    });
    created.ready.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(new JsonObject().put("lastId", created.lastId));
      } else {
        followers.remove(run, created);
        fail(msg, ar.cause());
      }
    });
  }

  private static void fail(Message<?> msg, Throwable cause) {
    if (cause instanceof ApiException e) {
      msg.fail(e.status(), e.getMessage());
    } else {
      msg.fail(500, String.valueOf(cause));
    }
  }

  private void unwatch(Message<JsonObject> msg) {
    Follower f = followers.get(msg.body().getString("run", ""));
    if (f != null && f.watchers > 0) {
      f.watchers--;
    }
    msg.reply(null);
  }

  /** The state of one followed run; touched on this verticle's event loop only. */
  private final class Follower {
    final String run;
    int watchers;
    long lastId;
    boolean fetching;
    final List<RunEvent> pending = new ArrayList<>();
    Future<Void> ready;
    AutoCloseable subscription;
    long timerId = -1;

    Follower(String run) {
      this.run = run;
    }

    void start(RunHandle handle, long lastEventId) {
      lastId = lastEventId;
      if (handle.live().isPresent()) {
        subscription = handle.live().get().subscribe(e -> context.runOnContext(v -> onLive(e)));
      } else {
        timerId = vertx.setPeriodic(pollMillis, id -> {
          if (watchers > 0 && !fetching) {
            fetch();
          }
        });
      }
    }

    void onLive(RunEvent e) {
      if (fetching) {
        if (pending.size() < PENDING_LIMIT) {
          pending.add(e);
        } else {
          pending.clear(); // they are in the store: the next fetch finds them
        }
        return;
      }
      if (e.id() <= lastId) {
        return;
      }
      if (e.id() == lastId + 1) {
        publish(SseFrame.of(e));
        return;
      }
      pending.add(e);
      fetch();
    }

    void fetch() {
      fetching = true;
      long after = lastId;
      executor.executeBlocking(() -> service.eventsAfter(run, after, FETCH_LIMIT), true).onComplete(ar -> {
        boolean progressed = false;
        if (ar.succeeded()) {
          for (SseFrame f : ar.result()) {
            if (f.id() > lastId) {
              publish(f);
              progressed = true;
            }
          }
        }
        if (ar.succeeded() && ar.result().size() == FETCH_LIMIT) {
          fetch();
          return;
        }
        fetching = false;
        drainPending(progressed || ar.failed());
      });
    }

    /** Publishes held live events that follow on; if one is missing, reads the store again (once without progress: then accept the gap). */
    void drainPending(boolean mayFetchAgain) {
      if (pending.isEmpty()) {
        return;
      }
      pending.sort(Comparator.comparingLong(RunEvent::id));
      List<RunEvent> held = new ArrayList<>(pending);
      pending.clear();
      for (int i = 0; i < held.size(); i++) {
        RunEvent e = held.get(i);
        if (e.id() <= lastId) {
          continue;
        }
        if (e.id() != lastId + 1 && mayFetchAgain) {
          pending.addAll(held.subList(i, held.size()));
          fetch();
          return;
        }
        publish(SseFrame.of(e));
      }
    }

    void publish(SseFrame f) {
      lastId = f.id();
      vertx.eventBus().publish(addresses.events(run), f, LocalCodec.LOCAL);
    }

    void close() {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      if (subscription != null) {
        try {
          subscription.close();
        } catch (Exception ignored) {
          // closing a listener registration: nothing to recover
        }
      }
    }
  }
}
