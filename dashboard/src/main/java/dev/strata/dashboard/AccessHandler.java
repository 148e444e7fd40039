package dev.strata.dashboard;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may use the dashboard. Immutable, thread-safe.
 *
 * <p>Without a token (loopback only, enforced by {@link DashboardOptions}) everyone on this
 * machine may. With a token T, every {@code /api} request (REST and events) must carry it as
 * {@code Authorization: Bearer T}, as the cookie {@code strata_token}, or as {@code ?token=T};
 * otherwise 401. A page opened with {@code ?token=T} sets the cookie (HttpOnly, SameSite=Strict)
 * and redirects to the same page without the token, so that it leaves the address bar and the
 * history. Tokens are compared in constant time.
 *
 * <p>Every request must address the dashboard by one of its own names ({@link HostAllowList}):
 * a {@code Host} header naming anything else is refused with 403, which defeats DNS rebinding (a
 * page elsewhere whose name was pointed at this machine). Write actions (POST) must also come from
 * the dashboard's own pages: an {@code Origin} header that is not on the same list, or {@code
 * Sec-Fetch-Site: cross-site}, is refused with 403, so a web page elsewhere cannot make the browser
 * stop an experiment. The Host header is never the reference for Origin: an attacker sets both.
 *
 * <p>The cookie is named per port ({@code strata_token_PORT}): cookies are per host, not per
 * port, so two dashboards on one machine would otherwise overwrite each other's.
 */
final class AccessHandler {

  static final String COOKIE = "strata_token";

  private final Optional<byte[]> token;
  private final HostAllowList hosts;

  AccessHandler(Optional<String> token, HostAllowList hosts) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.hosts = hosts;
  }

  /** The token cookie's name for a dashboard listening on {@code port}. */
  static String cookieName(int port) {
    return COOKIE + "_" + port;
  }

  /** Guards every request: the Host header must name this dashboard. */
  void host(RoutingContext ctx) {
    String host = hostHeader(ctx.request());
    if (!hosts.allowsHostHeader(host)) {
      String message = "this dashboard does not answer to the host name '" + host + "': open it by its own address"
          + " (e.g. http://127.0.0.1:PORT/), or start it with --allow-host NAME";
      if (ctx.request().path().startsWith("/api/")) {
        HttpVerticle.error(ctx, 403, message);
      } else {
        ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
      }
      return;
    }
    ctx.next();
  }

  /** Guards {@code /api/*}. */
  void api(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD && !sameOrigin(req)) {
      HttpVerticle.error(ctx, 403, "cross-site request refused: use the dashboard's own page");
      return;
    }
    if (token.isEmpty()) {
      ctx.next();
      return;
    }
    String given = presented(req, cookieName(req.localAddress().port()));
    if (given == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"strata\"");
      HttpVerticle.error(ctx, 401, "this dashboard needs its token: open the address printed at start (it ends in ?token=...), "
          + "or send the header Authorization: Bearer TOKEN");
      return;
    }
    if (!matches(given)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"strata\", error=\"invalid_token\"");
      HttpVerticle.error(ctx, 401, "wrong token");
      return;
    }
    ctx.next();
  }

  /** On pages: {@code ?token=} sets the cookie and redirects without it. */
  void page(RoutingContext ctx) {
    String given = ctx.request().getParam("token");
    if (given == null || token.isEmpty()) {
      ctx.next();
      return;
    }
    if (!matches(given)) {
      ctx.response().setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("wrong token: open the address the dashboard printed at start\n");
      return;
    }
    ctx.response().addCookie(Cookie.cookie(cookieName(ctx.request().localAddress().port()), given).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/"));
    String query = ctx.request().query();
    StringBuilder rest = new StringBuilder();
    for (String part : query == null ? new String[0] : query.split("&")) {
      if (!part.startsWith("token=") && !part.isEmpty()) {
        rest.append(rest.isEmpty() ? "?" : "&").append(part);
      }
    }
    ctx.response().setStatusCode(303).putHeader("Location", localPath(ctx.request().path()) + rest).putHeader("Cache-Control", "no-store").end();
  }

  /**
   * The path as a same-site reference: leading slashes and backslashes collapse to one slash, so
   * that {@code //evil.example/} (which a browser reads as another host) stays on this dashboard.
   */
  static String localPath(String path) {
    if (path == null) {
      return "/";
    }
    int i = 0;
    while (i < path.length() && (path.charAt(i) == '/' || path.charAt(i) == '\\')) {
      i++;
    }
    String rest = path.substring(i);
    if (rest.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      return "/";
    }
    return "/" + rest;
  }

  /** The Host header of HTTP/1.1, or HTTP/2's {@code :authority}, as {@code name[:port]}; null when absent. */
  static String hostHeader(HttpServerRequest req) {
    io.vertx.core.net.HostAndPort a = req.authority();
    if (a == null) {
      return null;
    }
    String name = a.host().contains(":") && !a.host().startsWith("[") ? "[" + a.host() + "]" : a.host();
    return a.port() > 0 ? name + ":" + a.port() : name;
  }

  private static String presented(HttpServerRequest req, String cookieName) {
    String auth = req.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    Cookie c = req.getCookie(cookieName);
    if (c != null) {
      return c.getValue();
    }
    return req.getParam("token");
  }

  private boolean matches(String given) {
    return MessageDigest.isEqual(token.orElseThrow(), given.getBytes(StandardCharsets.UTF_8));
  }

  private boolean sameOrigin(HttpServerRequest req) {
    if ("cross-site".equalsIgnoreCase(req.getHeader("Sec-Fetch-Site"))) {
      return false;
    }
    String origin = req.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    // On the list, and the very host and port the request went to (another local port is another site).
    String host = hostHeader(req);
    return hosts.allowsOrigin(origin) && host != null
        && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host));
  }
}
