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
 * <p>Write actions (POST) must also come from the dashboard's own pages: a request whose {@code
 * Origin} header names another site is refused with 403, so a web page elsewhere cannot make the
 * browser stop an experiment.
 */
final class AccessHandler {

  static final String COOKIE = "strata_token";

  private final Optional<byte[]> token;

  AccessHandler(Optional<String> token) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  /** Guards {@code /api/*}. */
  void api(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (req.method() == HttpMethod.POST && !sameOrigin(req)) {
      HttpVerticle.error(ctx, 403, "cross-site request refused: use the dashboard's own page");
      return;
    }
    if (token.isEmpty()) {
      ctx.next();
      return;
    }
    String given = presented(req);
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
    ctx.response().addCookie(Cookie.cookie(COOKIE, given).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/"));
    String query = ctx.request().query();
    StringBuilder rest = new StringBuilder();
    for (String part : query == null ? new String[0] : query.split("&")) {
      if (!part.startsWith("token=") && !part.isEmpty()) {
        rest.append(rest.isEmpty() ? "?" : "&").append(part);
      }
    }
    ctx.response().setStatusCode(303).putHeader("Location", ctx.request().path() + rest).putHeader("Cache-Control", "no-store").end();
  }

  private static String presented(HttpServerRequest req) {
    String auth = req.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    Cookie c = req.getCookie(COOKIE);
    if (c != null) {
      return c.getValue();
    }
    return req.getParam("token");
  }

  private boolean matches(String given) {
    return MessageDigest.isEqual(token.orElseThrow(), given.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean sameOrigin(HttpServerRequest req) {
    String origin = req.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String host = req.getHeader("Host");
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }
}
