package dev.strata.dashboard;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * A running dashboard: the entry point the {@code strata} command uses.
 *
 * <p>Call order: {@link #start(DashboardOptions, RunCatalog)} (or with your own {@link Vertx}),
 * then {@link #actualPort()} / {@link #url()} to tell the user where it is, then {@link #close()},
 * which stops the server and closes the catalog (and the Vert.x instance when the dashboard made
 * it). Thread-safe; immutable once started.
 *
 * <pre>{@code
 * RunCatalog catalog = RunCatalog.single(name, RunHandle.live(store, events, runner::requestStop));
 * Dashboard dashboard = Dashboard.start(options, catalog).await();
 * System.out.println("dashboard: " + dashboard.url());
 * ...
 * dashboard.close().await();
 * }</pre>
 */
public final class Dashboard {

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final DashboardOptions options;
  private final RunCatalog catalog;
  private final HttpVerticle http;
  private final Addresses addresses;
  private final List<String> deployments;

  private Dashboard(Vertx vertx, boolean ownsVertx, DashboardOptions options, RunCatalog catalog, HttpVerticle http,
      Addresses addresses, List<String> deployments) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.options = options;
    this.catalog = catalog;
    this.http = http;
    this.addresses = addresses;
    this.deployments = List.copyOf(deployments);
  }

  /** Starts a dashboard on a Vert.x instance of its own, closed with the dashboard. */
  public static Future<Dashboard> start(DashboardOptions options, RunCatalog catalog) {
    return start(options, catalog, Optional.empty());
  }

  /**
   * Starts a dashboard on a Vert.x instance of its own, closed with the dashboard, whose trial pages
   * show the trials' networks analysed at initialisation by {@code inspector} (empty: not shown).
   */
  public static Future<Dashboard> start(DashboardOptions options, RunCatalog catalog, Optional<NetworkInspector> inspector) {
    Vertx vertx = Vertx.vertx();
    return start(vertx, true, options, catalog, inspector).recover(e -> vertx.close().transform(v -> Future.failedFuture(e)));
  }

  /** Starts a dashboard on the given Vert.x instance, which the caller keeps and closes. */
  public static Future<Dashboard> start(Vertx vertx, DashboardOptions options, RunCatalog catalog) {
    return start(vertx, options, catalog, Optional.empty());
  }

  /** Starts a dashboard on the given Vert.x instance, with trials' networks analysed by {@code inspector}. */
  public static Future<Dashboard> start(Vertx vertx, DashboardOptions options, RunCatalog catalog,
      Optional<NetworkInspector> inspector) {
    return start(vertx, false, options, catalog, inspector);
  }

  private static Future<Dashboard> start(Vertx vertx, boolean owns, DashboardOptions options, RunCatalog catalog,
      Optional<NetworkInspector> inspector) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(catalog, "catalog");
    LocalCodec.register(vertx.eventBus());
    Addresses addresses = new Addresses("strata.dashboard." + UUID.randomUUID());
    RunService service = new RunService(catalog, inspector);
    HttpVerticle http = new HttpVerticle(options, addresses, echartsVersion());
    List<String> ids = new ArrayList<>();
    int workers = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    return vertx.deployVerticle(new ApiVerticle(addresses, service, workers), new DeploymentOptions())
        .onSuccess(ids::add)
        .compose(id -> vertx.deployVerticle(new EventsVerticle(addresses, service, options.pollInterval().toMillis())))
        .onSuccess(ids::add)
        .compose(id -> vertx.deployVerticle(http))
        .onSuccess(ids::add)
        .map(id -> new Dashboard(vertx, owns, options, catalog, http, addresses, ids))
        .recover(e -> undeployAll(vertx, ids).transform(v -> Future.failedFuture(e)));
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    Future<Void> f = Future.succeededFuture();
    for (String id : ids.reversed()) {
      f = f.eventually(() -> vertx.undeploy(id));
    }
    return f;
  }

  /** The port the server listens on: the configured one, or the one picked for port 0. */
  public int actualPort() {
    return http.actualPort();
  }

  Addresses addresses() {
    return addresses;
  }

  public DashboardOptions options() {
    return options;
  }

  /** The address to open, with {@code ?token=} when a token is set (it then becomes a cookie). */
  public String url() {
    String host = options.host().contains(":") && !options.host().startsWith("[") ? "[" + options.host() + "]" : options.host();
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    String base = "http://" + host + ":" + actualPort() + "/";
    return options.token().map(t -> base + "?token=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse(base);
  }

  /** Stops the server, closes the catalog, and closes Vert.x if the dashboard made it. */
  public Future<Void> close() {
    return undeployAll(vertx, deployments)
        .eventually(() -> vertx.executeBlocking(() -> {
          catalog.close();
          return null;
        }))
        .eventually(() -> ownsVertx ? vertx.close() : Future.succeededFuture())
        .mapEmpty();
  }

  static String echartsVersion() {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.properties")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.properties is missing from the dashboard jar");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("echarts.version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
