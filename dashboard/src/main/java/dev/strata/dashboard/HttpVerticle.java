package dev.strata.dashboard;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
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
 * .../comparison} ({@code ?full=true}: unthinned), {@code .../pareto} ({@code ?x=&y=}: a pair of goals), {@code .../importance} ({@code ?method=}), {@code .../parameters}, {@code .../workers}, {@code .../events} (SSE), {@code
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
    AccessHandler access = new AccessHandler(options.token(), HostAllowList.forBinding(options.host(), options.allowedHosts()));
    Router router = Router.router(vertx);

    router.route().handler(HttpVerticle::securityHeaders);
    router.route().handler(access::host);
    router.route("/api/*").handler(access::api);
    read(router, "/api/runs").handler(ctx -> api(ctx, new JsonObject().put("action", "runs")));
    read(router, "/api/runs/:name").handler(ctx -> api(ctx, action(ctx, "run")));
    read(router, "/api/runs/:name/studies").handler(ctx -> api(ctx, action(ctx, "studies")));
    read(router, "/api/runs/:name/trials").handler(ctx -> {
      JsonObject params = new JsonObject();
      ctx.queryParams().names().forEach(n -> params.put(n, ctx.queryParams().get(n)));
      api(ctx, action(ctx, "trials").put("params", params));
    });
    read(router, "/api/runs/:name/trials/:id").handler(ctx -> api(ctx, action(ctx, "trial").put("id", ctx.pathParam("id"))));
    read(router, "/api/runs/:name/trials/:id/init").handler(ctx -> api(ctx, action(ctx, "init").put("id", ctx.pathParam("id"))));
    read(router, "/api/runs/:name/running").handler(ctx -> api(ctx, action(ctx, "running")));
    read(router, "/api/runs/:name/comparison").handler(ctx -> api(ctx, action(ctx, "comparison")
        .put("full", ctx.queryParams().get("full"))));
    read(router, "/api/runs/:name/pareto").handler(ctx -> api(ctx, action(ctx, "pareto")
        .put("x", ctx.queryParams().get("x")).put("y", ctx.queryParams().get("y"))));
    read(router, "/api/runs/:name/importance").handler(ctx -> api(ctx, action(ctx, "importance")
        .put("method", ctx.queryParams().get("method"))));
    read(router, "/api/runs/:name/prescreen").handler(ctx -> api(ctx, action(ctx, "prescreen")));
    read(router, "/api/runs/:name/parameters").handler(ctx -> api(ctx, action(ctx, "parameters")));
    read(router, "/api/runs/:name/workers").handler(ctx -> api(ctx, action(ctx, "workers")));
    router.head("/api/runs/:name/events").handler(ctx -> ctx.response().putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache").end());
    router.get("/api/runs/:name/events").handler(new EventStreamHandler(vertx, addresses, options.clientQueueLimit()));
    router.post("/api/runs/:name/stop").handler(ctx -> api(ctx, action(ctx, "stop"), 202));
    router.route("/api/*").handler(HttpVerticle::apiFallback);

    // Unversioned paths: cached, but revalidated (Last-Modified / If-Modified-Since), never "immutable".
    read(router, "/vendor/echarts/*").handler(HttpVerticle::revalidate);
    read(router, "/vendor/echarts/*").handler(StaticHandler.create("META-INF/resources/webjars/echarts/" + echartsVersion)
        .setCachingEnabled(true));
    read(router, null).handler(access::page);
    read(router, null).handler(HttpVerticle::revalidate);
    read(router, null).handler(StaticHandler.create("webroot").setCachingEnabled(true).setIndexPage("index.html"));
    router.route().last().handler(ctx -> {
      HttpMethod m = ctx.request().method();
      if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found\n");
      } else {
        ctx.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").putHeader("Content-Type", "text/plain; charset=utf-8")
            .end(m + " is not allowed here: pages answer GET and HEAD\n");
      }
    });
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
        .setCompressionSupported(true)
        // Level 1: the event loop deflates ECharts (1 MB) several times faster than at the default 6,
        // for about 10 % more bytes; on a loaded machine level 6 held the loop past the 2 s warning.
        .setCompressionLevel(1);
    server = vertx.createHttpServer(serverOptions).requestHandler(router);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Content-Security-Policy of every answer: scripts, styles and data from this dashboard only, no framing. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** A read route: GET and HEAD (Vert.x sends no body for HEAD), on {@code path} or on every path when null. */
  private static io.vertx.ext.web.Route read(Router router, String path) {
    io.vertx.ext.web.Route r = path == null ? router.route() : router.route(path);
    return r.method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cross-Origin-Resource-Policy", "same-origin");
    ctx.next();
  }

  private static void revalidate(RoutingContext ctx) {
    ctx.addHeadersEndHandler(v -> {
      if (ctx.response().getStatusCode() < 400) {
        ctx.response().headers().set("Cache-Control", "no-cache");
        // StaticHandler sets the type only when it sends the file: a HEAD gets the one a GET would.
        if (ctx.request().method() == HttpMethod.HEAD && !ctx.response().headers().contains("Content-Type")) {
          String path = ctx.request().path().endsWith("/") ? "index.html" : ctx.request().path();
          String type = io.vertx.core.http.MimeMapping.mimeTypeForFilename(path);
          if (type != null) {
            ctx.response().headers().set("Content-Type", type.startsWith("text/") || type.endsWith("javascript") ? type + ";charset=UTF-8" : type);
          }
        }
      }
    });
    ctx.next();
  }

  private static final java.util.regex.Pattern READ_API = java.util.regex.Pattern.compile(
      "/api/runs(/[^/]+(/(studies|trials|trials/[^/]+|trials/[^/]+/init|running|comparison|pareto|importance|parameters|workers|events))?)?/?");
  private static final java.util.regex.Pattern WRITE_API = java.util.regex.Pattern.compile("/api/runs/[^/]+/stop/?");

  /** An API path no route took: 405 with Allow when the path exists under another method, else 404. */
  private static void apiFallback(RoutingContext ctx) {
    String path = ctx.request().path();
    String allow = READ_API.matcher(path).matches() ? "GET, HEAD" : WRITE_API.matcher(path).matches() ? "POST" : null;
    if (allow == null || allow.contains(ctx.request().method().name())) {
      error(ctx, 404, "no such API endpoint: " + ctx.request().method() + " " + path);
    } else {
      ctx.response().putHeader("Allow", allow);
      error(ctx, 405, ctx.request().method() + " is not allowed on " + path + ": use " + allow);
    }
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
