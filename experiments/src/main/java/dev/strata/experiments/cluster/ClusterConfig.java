package dev.strata.experiments.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one machine takes part in a Strata cluster: where Hazelcast and the event bus listen, whom
 * to join, and how messages are protected. Immutable; see {@link Builder} for the defaults.
 *
 * <p><b>Two ports per machine.</b> Hazelcast (membership and the event-bus address registry)
 * listens on {@link #port()}; the Vert.x event bus (trials, epochs, results, datasets) on {@link
 * #eventBusPort()}. Both must be reachable from every other member.
 *
 * @param clusterName the Hazelcast cluster name: members with another name never join; also part
 *     of every event-bus address, so two clusters on one network do not mix
 * @param host the interface to bind to and to advertise (an address of this machine)
 * @param port the Hazelcast member port; 0 picks a free one (workers), the coordinator should fix
 *     it so that workers can {@code --join} it
 * @param eventBusPort the event-bus TCP port; 0 picks a free one
 * @param join {@code host:port} members to contact when joining (TCP/IP join); empty for the first
 *     member
 * @param multicast whether Hazelcast also discovers members by multicast (off by default)
 * @param secret the shared cluster secret, or null: when set, every message carries an HMAC-SHA256
 *     of its address, time and body, and messages without a valid one are rejected
 * @param tls TLS for the event bus, or null for plain TCP
 * @param heartbeat how often a worker reports to the coordinator
 * @param workerTimeout how long a worker may stay silent before its trials run elsewhere
 */
public record ClusterConfig(
    String clusterName,
    String host,
    int port,
    int eventBusPort,
    List<String> join,
    boolean multicast,
    String secret,
    Tls tls,
    Duration heartbeat,
    Duration workerTimeout) {

  /** The default Hazelcast member port of a coordinator. */
  public static final int DEFAULT_PORT = 5701;

  /** The default event-bus port of a coordinator. */
  public static final int DEFAULT_EVENT_BUS_PORT = 5700;

  /** The default cluster name. */
  public static final String DEFAULT_NAME = "strata";

  public ClusterConfig {
    Objects.requireNonNull(clusterName, "clusterName");
    if (!clusterName.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("cluster name '" + clusterName + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    Objects.requireNonNull(host, "host");
    checkPort("cluster port", port);
    checkPort("event-bus port", eventBusPort);
    join = List.copyOf(join);
    for (String member : join) {
      parseMember(member);
    }
    if (secret != null && secret.length() < 16) {
      throw new IllegalArgumentException("the cluster secret has " + secret.length()
          + " characters; use at least 16 (e.g. openssl rand -hex 32)");
    }
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(workerTimeout, "workerTimeout");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
    }
    if (workerTimeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("worker timeout " + workerTimeout + " must be at least twice the heartbeat "
          + heartbeat);
    }
  }

  /**
   * TLS for the event bus: this machine's key and certificate, and the certificates (or the CA)
   * of the machines it accepts. Every member needs one: connections are mutual (client
   * certificates required).
   */
  public sealed interface Tls permits KeyStores, Pem {}

  /** A PKCS#12 ({@code .p12}, {@code .pfx}) or JKS key store, and a trust store in either form. */
  public record KeyStores(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword)
      implements Tls {
    public KeyStores {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(trustStore, "trustStore");
      keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
      trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
      return "KeyStores[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
  }

  /**
   * PEM files: the certificate (chain), its unencrypted private key (PKCS#8 or PKCS#1), and the
   * CA or peer certificates to trust.
   */
  public record Pem(Path certificate, Path key, Path ca) implements Tls {
    public Pem {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(ca, "ca");
    }
  }

  /** A member address {@code host:port}; throws with the offending text when it is not one. */
  public static HostPort parseMember(String member) {
    int colon = member.lastIndexOf(':');
    if (colon <= 0 || colon == member.length() - 1) {
      throw new IllegalArgumentException("'" + member + "' is not host:port (e.g. 10.0.0.5:5701)");
    }
    int port;
    try {
      port = Integer.parseInt(member.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + member + "' has no numeric port (e.g. 10.0.0.5:5701)");
    }
    checkPort("port of " + member, port);
    if (port == 0) {
      throw new IllegalArgumentException("'" + member + "' needs a port other than 0");
    }
    return new HostPort(member.substring(0, colon), port);
  }

  /** A host and a port. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  private static void checkPort(String what, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " must be in [0, 65535], got " + port);
    }
  }

  public Optional<String> secretIfAny() {
    return Optional.ofNullable(secret);
  }

  public ClusterConfig withJoin(List<String> members) {
    return new ClusterConfig(clusterName, host, port, eventBusPort, members, multicast, secret, tls, heartbeat,
        workerTimeout);
  }

  public ClusterConfig withPorts(int port, int eventBusPort) {
    return new ClusterConfig(clusterName, host, port, eventBusPort, join, multicast, secret, tls, heartbeat,
        workerTimeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Never prints the secret or TLS passwords. */
  @Override
  public String toString() {
    return "ClusterConfig[name=" + clusterName + ", host=" + host + ", port=" + port + ", eventBusPort=" + eventBusPort
        + ", join=" + join + ", multicast=" + multicast + ", secret=" + (secret == null ? "none" : "set")
        + ", tls=" + (tls == null ? "off" : "on") + ", heartbeat=" + heartbeat + ", workerTimeout=" + workerTimeout + "]";
  }

  /**
   * Builds a {@link ClusterConfig}. Defaults: cluster name {@value ClusterConfig#DEFAULT_NAME},
   * host {@code 127.0.0.1} (loopback: set it to this machine's LAN address to be reachable), port
   * {@value ClusterConfig#DEFAULT_PORT}, event-bus port {@value ClusterConfig#DEFAULT_EVENT_BUS_PORT},
   * no join list, multicast off, no secret, no TLS, heartbeat 2 s, worker timeout 15 s.
   */
  public static final class Builder {
    private String clusterName = DEFAULT_NAME;
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
    private List<String> join = List.of();
    private boolean multicast;
    private String secret;
    private Tls tls;
    private Duration heartbeat = Duration.ofSeconds(2);
    private Duration workerTimeout = Duration.ofSeconds(15);

    private Builder() {}

    public Builder clusterName(String value) {
      this.clusterName = value;
      return this;
    }

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder eventBusPort(int value) {
      this.eventBusPort = value;
      return this;
    }

    public Builder join(List<String> value) {
      this.join = value;
      return this;
    }

    public Builder multicast(boolean value) {
      this.multicast = value;
      return this;
    }

    public Builder secret(String value) {
      this.secret = value;
      return this;
    }

    public Builder tls(Tls value) {
      this.tls = value;
      return this;
    }

    public Builder heartbeat(Duration value) {
      this.heartbeat = value;
      return this;
    }

    public Builder workerTimeout(Duration value) {
      this.workerTimeout = value;
      return this;
    }

    public ClusterConfig build() {
      return new ClusterConfig(clusterName, host, port, eventBusPort, join, multicast, secret, tls, heartbeat,
          workerTimeout);
    }
  }
}
