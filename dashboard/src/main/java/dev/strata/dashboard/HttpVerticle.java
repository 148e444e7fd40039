package dev.strata.dashboard;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard's HTTP side: it only routes. REST requests become {@link Addresses#api()}
 * requests to the {@link ApiVerticle}; the event stream is the {@link EventStreamHandler}; pages
 * and scripts come from the classpath ({@code webroot/}, and ECharts from its WebJar under {@code
 * /vendor/echarts/}), compressed and with cache headers.
 *
 * <p>Routes (see docs/dashboard.md): {@code GET /api/runs}, {@code /api/runs/:name}, {@code
 * .../studies}, {@code .../trials}, {@code .../trials/:id}, {@code .../running}, {@code
 * .../comparison}, {@code .../pareto}, {@code .../parameters}, {@code .../workers}, {@code .../events} (SSE), {@code
 * POST .../stop}.
 */
public final class HttpVerticle extends VerticleBase {

  /** How long a REST request waits for the store before answering 503. */
  static final DeliveryOptions API_TIMEOUT = new DeliveryOptions().setSendTimeout(20_000);

  private final DashboardOptions options;
  private final Addresses addresses;
  private final String echartsVersion;
  private HttpServer server;

  HttpVerticle(DashboardOptions options, Addresses addresses, String echartsVersion) {
    this.options = options;
    this.addresses = addresses;
    this.echartsVersion = echartsVersion;
  }

  /** The port the server listens on (after start). */
  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    AccessHandler access = new AccessHandler(options.token());
    Router router = Router.router(vertx);

    router.route("/api/*").handler(access::api);
    router.get("/api/runs").handler(ctx -> api(ctx, new JsonObject().put("action", "runs")));
    router.get("/api/runs/:name").handler(ctx -> api(ctx, action(ctx, "run")));
    router.get("/api/runs/:name/studies").handler(ctx -> api(ctx, action(ctx, "studies")));
    router.get("/api/runs/:name/trials").handler(ctx -> {
      JsonObject params = new JsonObject();
      ctx.queryParams().names().forEach(n -> params.put(n, ctx.queryParams().get(n)));
      api(ctx, action(ctx, "trials").put("params", params));
    });
    router.get("/api/runs/:name/trials/:id").handler(ctx -> api(ctx, action(ctx, "trial").put("id", ctx.pathParam("id"))));
    router.get("/api/runs/:name/running").handler(ctx -> api(ctx, action(ctx, "running")));
    router.get("/api/runs/:name/comparison").handler(ctx -> api(ctx, action(ctx, "comparison")));
    router.get("/api/runs/:name/pareto").handler(ctx -> api(ctx, action(ctx, "pareto")));
    router.get("/api/runs/:name/parameters").handler(ctx -> api(ctx, action(ctx, "parameters")));
    router.get("/api/runs/:name/workers").handler(ctx -> api(ctx, action(ctx, "workers")));
    router.get("/api/runs/:name/events").handler(new EventStreamHandler(vertx, addresses, options.clientQueueLimit()));
    router.post("/api/runs/:name/stop").handler(ctx -> api(ctx, action(ctx, "stop"), 202));
    router.route("/api/*").handler(ctx -> error(ctx, 404, "no such API endpoint: " + ctx.request().method() + " " + ctx.request().path()));

    router.get("/vendor/echarts/*").handler(StaticHandler.create("META-INF/resources/webjars/echarts/" + echartsVersion)
        .setCachingEnabled(true).setMaxAgeSeconds(7 * 24 * 3600));
    router.get().handler(access::page);
    router.get().handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(60).setIndexPage("index.html"));
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found\n"));
    router.route().failureHandler(ctx -> {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      if (ctx.response().headWritten()) {
        ctx.response().reset();
        return;
      }
      if (ctx.request().path().startsWith("/api/")) {
        error(ctx, status, status == 500 ? "internal error" : "request refused");
      } else {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(status == 404 ? "not found\n" : "error " + status + "\n");
      }
    });

    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        .setCompressionSupported(true);
    server = vertx.createHttpServer(serverOptions).requestHandler(router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private static JsonObject action(RoutingContext ctx, String action) {
    return new JsonObject().put("action", action).put("run", ctx.pathParam("name"));
  }

  private void api(RoutingContext ctx, JsonObject request) {
    api(ctx, request, 200);
  }

  private void api(RoutingContext ctx, JsonObject request, int status) {
    vertx.eventBus().<Buffer>request(addresses.api(), request, API_TIMEOUT).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(ar.result().body());
      } else if (ar.cause() instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 600) {
        error(ctx, re.failureCode(), re.getMessage());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
        error(ctx, 503, "the run's store did not answer within " + API_TIMEOUT.getSendTimeout() / 1000 + " s; try again");
      } else {
        error(ctx, 500, "internal error: " + ar.cause().getMessage());
      }
    });
  }

  /** Ends the request with {@code {"error": message, "status": status}}. */
  static void error(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", message).put("status", status).toBuffer());
  }

}
