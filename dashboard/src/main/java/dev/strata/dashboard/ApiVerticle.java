package dev.strata.dashboard;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's domain side: answers {@link Addresses#api()} requests by running {@link
 * RunService} queries on a worker pool (readers may block on a database), never on the event loop.
 *
 * <p>Request: {@code {"action": A, "run": NAME, ...}} with actions {@code runs}, {@code run},
 * {@code studies}, {@code trials} (+ {@code params}), {@code trial} and {@code init} (+ {@code id}), {@code
 * running}, {@code comparison} (+ {@code full}), {@code pareto} (+ {@code x}, {@code y}), {@code importance} (+ {@code method}), {@code parameters}, {@code workers}, {@code eventsAfter} (+ {@code
 * after}, {@code limit}), {@code stop}. Reply: the JSON rendered into a {@code Buffer}, or for
 * {@code eventsAfter} a {@code List<SseFrame>}. Failure: the HTTP status as code, a message for the user.
 *
 * <p>Bounded: at most {@value #MAX_QUEUED} requests wait for a worker; beyond that a request is
 * refused at once with 503 (the page retries) rather than queued for minutes, and once the
 * verticle stops nothing new is handed to its closing pool.
 */
public final class ApiVerticle extends VerticleBase {

  /** The most requests in flight (running or waiting for a worker) before new ones get 503. */
  static final int MAX_QUEUED = 64;

  private final Addresses addresses;
  private final RunService service;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean stopping;
  private final int workers;
  private WorkerExecutor executor;
  private MessageConsumer<JsonObject> consumer;

  ApiVerticle(Addresses addresses, RunService service, int workers) {
    this.addresses = addresses;
    this.service = service;
    this.workers = workers;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx.eventBus());
    executor = vertx.createSharedWorkerExecutor(addresses.prefix() + "-api", workers);
    consumer = vertx.eventBus().consumer(addresses.api(), this::handle);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return consumer.unregister().eventually(() -> executor.close());
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    if (stopping) {
      msg.fail(503, "the dashboard is shutting down");
      return;
    }
    if (inFlight.incrementAndGet() > MAX_QUEUED) {
      inFlight.decrementAndGet();
      msg.fail(503, "the dashboard is busy (" + MAX_QUEUED + " requests in flight); try again in a moment");
      return;
    }
    executor.executeBlocking(() -> dispatch(body), false).onComplete(ar -> {
      inFlight.decrementAndGet();
      if (ar.succeeded()) {
        msg.reply(ar.result(), LocalCodec.LOCAL);
      } else if (ar.cause() instanceof ApiException e) {
        msg.fail(e.status(), e.getMessage());
      } else if (ar.cause() instanceof IllegalArgumentException e) {
        msg.fail(400, String.valueOf(e.getMessage()));
      } else {
        msg.fail(500, "internal error: " + ar.cause());
      }
    });
  }

  private Object dispatch(JsonObject body) {
    String action = body.getString("action", "");
    String run = body.getString("run", "");
    return switch (action) {
      case "runs" -> service.runs().toBuffer();
      case "run" -> service.run(run).toBuffer();
      case "studies" -> service.studies(run).toBuffer();
      case "trials" -> service.trials(run, params(body.getJsonObject("params"))).toBuffer();
      case "trial" -> service.trial(run, body.getString("id", "")).toBuffer();
      case "init" -> service.initAnalysis(run, body.getString("id", "")).toBuffer();
      case "running" -> service.running(run).toBuffer();
      case "comparison" -> service.comparison(run, flag("full", body.getString("full"))).toBuffer();
      case "pareto" -> service.pareto(run, body.getString("x"), body.getString("y")).toBuffer();
      case "importance" -> service.importance(run, body.getString("method")).toBuffer();
      case "prescreen" -> service.prescreen(run).toBuffer();
      case "parameters" -> service.parameters(run).toBuffer();
      case "workers" -> service.workers(run).toBuffer();
      case "eventsAfter" -> java.util.List.copyOf(service.eventsAfter(run, body.getLong("after", 0L), body.getInteger("limit", 500)));
      case "stop" -> service.stop(run).toBuffer();
      default -> throw ApiException.badRequest("unknown action '" + action + "'");
    };
  }

  /** A yes/no query parameter: absent, {@code false} or {@code 0} is no; {@code true} or {@code 1} yes. */
  static boolean flag(String name, String value) {
    if (value == null || value.equals("false") || value.equals("0")) {
      return false;
    }
    if (value.equals("true") || value.equals("1")) {
      return true;
    }
    throw ApiException.badRequest(name + " must be true or false, got '" + value + "'");
  }

  private static Map<String, String> params(JsonObject json) {
    Map<String, String> out = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> out.put(e.getKey(), e.getValue() instanceof JsonArray a ? String.valueOf(a.getValue(0)) : String.valueOf(e.getValue())));
    }
    return out;
  }
}
