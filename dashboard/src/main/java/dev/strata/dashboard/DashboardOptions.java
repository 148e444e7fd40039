package dev.strata.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the dashboard listens and whom it lets in. Immutable; checks itself on construction.
 *
 * <p>A host other than a loopback address exposes the dashboard to the network, so it then needs
 * a token: every API and event-stream request must carry it.
 *
 * @param host the address to bind, default {@code 127.0.0.1}
 * @param port the TCP port, default 8080; 0 picks a free port (see {@link Dashboard#actualPort()})
 * @param token the shared secret, empty for none (allowed on loopback only)
 * @param pollInterval how often runs without a live event source are polled for new events
 * @param clientQueueLimit events buffered per event-stream client before it is told to resync
 * @param allowedHosts host names requests may use besides the bound address and its names (see
 *     {@link HostAllowList}), e.g. the name of a reverse proxy; empty by default
 */
public record DashboardOptions(
    String host, int port, Optional<String> token, Duration pollInterval, int clientQueueLimit, Set<String> allowedHosts) {

  public DashboardOptions(String host, int port, Optional<String> token, Duration pollInterval, int clientQueueLimit) {
    this(host, port, token, pollInterval, clientQueueLimit, Set.of());
  }

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  public static final int DEFAULT_CLIENT_QUEUE_LIMIT = 1000;

  public DashboardOptions {
    Objects.requireNonNull(host, "host");
    token = token == null ? Optional.empty() : token;
    pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
    allowedHosts = allowedHosts == null ? Set.of() : Set.copyOf(allowedHosts);
    for (String h : allowedHosts) {
      if (h.isBlank() || !h.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
        throw new IllegalArgumentException("--allow-host takes a host name or address (no scheme, no port), got '" + h + "'");
      }
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("--host must not be blank: use 127.0.0.1 (the default) or an address to bind");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in 0..65535 (0 picks a free port), got " + port);
    }
    if (token.isPresent() && (token.get().isBlank() || token.get().length() < 8)) {
      throw new IllegalArgumentException("--token must have at least 8 non-blank characters");
    }
    if (token.isPresent() && !token.get().matches("[\\x21-\\x7e]+")) {
      throw new IllegalArgumentException("--token may only hold printable ASCII characters without spaces");
    }
    if (!isLoopback(host) && token.isEmpty()) {
      throw new IllegalArgumentException(
          "--host " + host + " is reachable from other machines, so the dashboard needs a token: "
              + "add --token SECRET (at least 8 characters), or keep the default --host 127.0.0.1 "
              + "and reach it through an SSH tunnel (ssh -L 8080:127.0.0.1:8080 HOST)");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
    }
    if (clientQueueLimit < 1) {
      throw new IllegalArgumentException("clientQueueLimit must be >= 1, got " + clientQueueLimit);
    }
  }

  /** The defaults: 127.0.0.1:8080, no token. */
  public static DashboardOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public DashboardOptions withPort(int newPort) {
    return new DashboardOptions(host, newPort, token, pollInterval, clientQueueLimit, allowedHosts);
  }

  public DashboardOptions withToken(String newToken) {
    return new DashboardOptions(host, port, Optional.ofNullable(newToken), pollInterval, clientQueueLimit, allowedHosts);
  }

  /** Whether {@code host} names only this machine (127.0.0.0/8, ::1 or localhost). */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // a host name other than localhost: do not resolve, treat as remote
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Builds options; defaults as documented on {@link DashboardOptions}. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String token;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int clientQueueLimit = DEFAULT_CLIENT_QUEUE_LIMIT;
    private final Set<String> allowedHosts = new java.util.LinkedHashSet<>();

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder token(String value) {
      this.token = value;
      return this;
    }

    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    public Builder clientQueueLimit(int value) {
      this.clientQueueLimit = value;
      return this;
    }

    /** Adds a host name requests may use (e.g. a reverse proxy's); see {@link HostAllowList}. */
    public Builder allowHost(String value) {
      this.allowedHosts.add(value);
      return this;
    }

    public DashboardOptions build() {
      return new DashboardOptions(host, port, Optional.ofNullable(token), pollInterval, clientQueueLimit, allowedHosts);
    }
  }
}
