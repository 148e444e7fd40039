package dev.strata.experiments.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member of a Strata cluster: a clustered Vert.x whose cluster manager is Hazelcast,
 * configured entirely in code from a {@link ClusterConfig} (no {@code cluster.xml}): TCP/IP join
 * to the listed members, multicast only when asked, auto-detection off, phone-home off, the bind
 * interface and ports as given, short failure detection (heartbeat 1 s, a member silent for the
 * worker timeout is dropped). The event bus listens on the same host, with TLS (mutual, client
 * certificates required) when configured.
 *
 * <p>Thread-safe. Call order: {@link #start}, then any accessors, then {@link #close()} once.
 */
public final class ClusterNode implements AutoCloseable {

  private final Vertx vertx;
  private final HazelcastClusterManager manager;

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** How long {@link #start} waits for Vert.x and Hazelcast once the checks have passed. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(45);

  /**
   * Joins (or forms) the cluster; blocks until joined, at most {@link #START_TIMEOUT}.
   *
   * @throws IllegalArgumentException when the configuration cannot work on this machine, found
   *     before anything starts: a TLS file (see {@link #checkTls}), the host (see {@link
   *     #checkAddresses}) or a port (see {@link #checkPorts}); one line naming the option
   * @throws IllegalStateException when Vert.x or Hazelcast fail to start or do not finish in time;
   *     what was started is shut down (no thread of it keeps the JVM alive)
   */
  public static ClusterNode start(ClusterConfig config) {
    return start(config, START_TIMEOUT, true);
  }

  /**
   * Runs after the up-front checks passed and before Vert.x starts. Tests only: they take a port
   * here, as another program racing for it would, to make a checked start fail for real.
   */
  static volatile Consumer<ClusterConfig> afterChecks = config -> { };

  /** {@link #start(ClusterConfig)} with another bound, and (tests only) without the up-front checks. */
  static ClusterNode start(ClusterConfig config, Duration timeout, boolean check) {
    quietLogging();
    if (check) {
      checkTls(config.tls());
      checkAddresses(config);
      checkPorts(config);
    }
    afterChecks.accept(config);
    Config hz = hazelcast(config);
    HazelcastClusterManager manager = new HazelcastClusterManager(hz);
    VertxOptions options = new VertxOptions().setEventBusOptions(eventBus(config));
    CompletableFuture<Vertx> joined = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .toCompletionStage().toCompletableFuture();
    String where = config.host() + " (--cluster-port " + portText(config.port()) + ", --event-bus-port "
        + portText(config.eventBusPort()) + ")";
    try {
      return new ClusterNode(joined.get(timeout.toMillis(), TimeUnit.MILLISECONDS), manager);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(joined, hz.getInstanceName());
      throw new IllegalStateException("interrupted while joining the cluster", e);
    } catch (TimeoutException e) {
      abandon(joined, hz.getInstanceName());
      throw new IllegalStateException("the cluster node on " + where + " did not start within " + timeout.toSeconds()
          + " s; check that --cluster-host is this machine's address and that no firewall blocks the ports"
          + " (STRATA_DEBUG=1 shows Hazelcast's log)", e);
    } catch (ExecutionException e) {
      abandon(joined, hz.getInstanceName());
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String why = cause.getMessage() == null ? cause.toString() : cause.getMessage().lines().findFirst().orElse("");
      throw new IllegalStateException("cannot start the cluster node on " + where + ": " + why
          + "; check --cluster-host and the ports (STRATA_DEBUG=1 shows Hazelcast's log)", cause);
    }
  }

  /**
   * Shuts down what a failed start left behind, on a daemon thread (Hazelcast may still be
   * joining, and asking for the instance waits for it): the Vert.x instance if it comes up after
   * all, and the Hazelcast instance, whose threads would otherwise keep the JVM alive.
   */
  private static void abandon(CompletableFuture<Vertx> joined, String instanceName) {
    joined.whenComplete((vertx, failure) -> {
      if (vertx != null) {
        vertx.close();
      }
    });
    Thread.ofPlatform().daemon().name("strata-cluster-abandon").start(() -> {
      try {
        HazelcastInstance hz = Hazelcast.getHazelcastInstanceByName(instanceName);
        if (hz != null) {
          hz.getLifecycleService().terminate();
        }
      } catch (RuntimeException e) {
        // it never started
      }
    });
  }

  /**
   * Checks the addresses before anything starts: {@code host} must be a literal address or a
   * name that resolves to an address of this machine (not the wildcard), and every {@code --join}
   * host must resolve.
   *
   * @throws IllegalArgumentException one line: the option, the value, what to give instead
   */
  static void checkAddresses(ClusterConfig c) {
    String host = c.host();
    if (host.isBlank() || !host.matches("[A-Za-z0-9.:%_\\[\\]-]+")) {
      throw new IllegalArgumentException("--cluster-host '" + host + "' is not an IP address or host name;"
          + " give this machine's address that the others reach it at (e.g. 10.0.0.5)");
    }
    InetAddress address = resolve(host, RESOLVE_TIMEOUT, InetAddress::getByName, "--cluster-host " + host,
        "give this machine's IP address or check DNS");
    if (address == null) {
      throw new IllegalArgumentException("--cluster-host " + host + " is an unknown host name; give this machine's"
          + " IP address (one of " + localAddresses() + ")");
    }
    if (address.isAnyLocalAddress()) {
      throw new IllegalArgumentException("--cluster-host " + host + " is the wildcard address, which the other machines"
          + " cannot reach; give one of this machine's addresses (" + localAddresses() + ")");
    }
    if (!address.isLoopbackAddress() && !isLocal(address)) {
      throw new IllegalArgumentException("--cluster-host " + host + " is not an address of this machine; give one of "
          + localAddresses() + " (the one the other machines reach it at)");
    }
    for (String member : c.join()) {
      String joinHost = ClusterConfig.parseMember(member).host();
      if (resolve(joinHost, RESOLVE_TIMEOUT, InetAddress::getByName, "--join " + member,
          "give an IP address or check DNS") == null) {
        throw new IllegalArgumentException("--join " + member + ": unknown host '" + joinHost + "'; give the"
            + " coordinator's IP address or a name this machine can resolve");
      }
    }
  }

  /** How long {@link #checkAddresses} waits for one host name to resolve. */
  static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(5);

  /** {@link InetAddress#getByName}, or a stand-in for it. */
  @FunctionalInterface
  interface Resolver {
    InetAddress resolve(String host) throws UnknownHostException;
  }

  /**
   * Resolves {@code host} on a daemon thread and waits at most {@code timeout}: the JDK's lookup has
   * no bound of its own, so a slow DNS server would hold the checks up indefinitely. A lookup that
   * times out is left to finish on its own thread (which does not keep the JVM alive).
   *
   * @param what the option and value, to start the message with, e.g. {@code --join db1:5701}
   * @param fix what to do, to end the message with
   * @return the address, or null when the name is unknown
   * @throws IllegalArgumentException one line when it did not resolve in time
   */
  static InetAddress resolve(String host, Duration timeout, Resolver resolver, String what, String fix) {
    CompletableFuture<InetAddress> lookup = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("strata-resolve").start(() -> {
      try {
        lookup.complete(resolver.resolve(host));
      } catch (UnknownHostException e) {
        lookup.complete(null);
      } catch (RuntimeException | Error e) {
        lookup.completeExceptionally(e);
      }
    });
    try {
      return lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalArgumentException(what + ": could not resolve '" + host + "' within " + seconds(timeout) + " s; "
          + fix);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resolving " + host, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toMillis() / 1000.0);
  }

  private static boolean isLocal(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return true; // cannot tell: let the bind decide
    }
  }

  /** This machine's addresses, IPv4 first, for messages: e.g. {@code 127.0.0.1, 10.0.0.5}. */
  static String localAddresses() {
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            v4.add(a.getHostAddress());
          } else if (!a.isLinkLocalAddress()) {
            v6.add(a.getHostAddress().replaceFirst("%.*$", ""));
          }
        }
      }
    } catch (SocketException e) {
      return "see 'ip addr'";
    }
    v4.addAll(v6);
    return v4.isEmpty() ? "see 'ip addr'" : String.join(", ", v4.subList(0, Math.min(8, v4.size())));
  }

  /**
   * Checks that the fixed ports (not 0) differ and that nothing listens on them yet, by binding
   * each for a moment (with SO_REUSEADDR, as Hazelcast and Vert.x do, so that connections of a
   * previous run still in TIME_WAIT do not count).
   *
   * @throws IllegalArgumentException one line: the option, the port, what to do
   */
  static void checkPorts(ClusterConfig c) {
    if (c.port() != 0 && c.port() == c.eventBusPort()) {
      throw new IllegalArgumentException("--cluster-port and --event-bus-port are both " + c.port()
          + "; give them different ports");
    }
    checkPortFree(c.host(), c.port(), "--cluster-port");
    checkPortFree(c.host(), c.eventBusPort(), "--event-bus-port");
  }

  private static void checkPortFree(String host, int port, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      String why = String.valueOf(e.getMessage());
      if (why.toLowerCase(Locale.ROOT).contains("in use")) {
        throw new IllegalArgumentException(option + " " + port + " on " + host + " is already in use (another"
            + " coordinator or program listens there; 'ss -ltnp' shows which); stop it or give another " + option);
      }
      throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + option + "): " + why
          + "; give another " + option + (port < 1024 ? " from 1024 to 65535" : ""));
    }
  }

  private static String portText(int port) {
    return port == 0 ? "auto" : Integer.toString(port);
  }

  /** The Hazelcast configuration built from a cluster configuration. */
  static Config hazelcast(ClusterConfig c) {
    Config hz = new Config();
    hz.setClusterName(c.clusterName());
    hz.setInstanceName("strata-" + c.clusterName() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.local.localAddress", c.host());
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(5, c.workerTimeout().toSeconds())));
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    hz.setProperty("hazelcast.jmx", "false");
    NetworkConfig net = hz.getNetworkConfig();
    if (c.port() == 0) {
      net.setPort(ClusterConfig.DEFAULT_PORT + 1).setPortAutoIncrement(true).setPortCount(200);
    } else {
      net.setPort(c.port()).setPortAutoIncrement(false);
    }
    net.getInterfaces().setEnabled(false);
    net.setReuseAddress(true);
    JoinConfig join = net.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(c.multicast());
    join.getTcpIpConfig().setEnabled(!c.multicast() || !c.join().isEmpty()).setConnectionTimeoutSeconds(3);
    for (String member : c.join()) {
      join.getTcpIpConfig().addMember(member);
    }
    // The maps Vert.x keeps in Hazelcast (the same as vertx-hazelcast's default-cluster.xml).
    hz.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    hz.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    hz.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return hz;
  }

  static EventBusOptions eventBus(ClusterConfig c) {
    EventBusOptions bus = new EventBusOptions().setHost(c.host()).setPort(c.eventBusPort()).setClusterPublicHost(c.host())
        .setConnectTimeout(5_000).setReconnectAttempts(0);
    // Vert.x builds the bus's server and client options from EventBusOptions.toJson(), which keeps
    // only the JKS, PFX and PEM option classes: a generic KeyStoreOptions would be dropped silently.
    switch (c.tls()) {
      case null -> { }
      case ClusterConfig.KeyStores k -> bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(pkcs12(k.keyStore()) ? new PfxOptions().setPath(k.keyStore().toString())
              .setPassword(k.keyStorePassword()) : new JksOptions().setPath(k.keyStore().toString())
              .setPassword(k.keyStorePassword()))
          .setTrustOptions(pkcs12(k.trustStore()) ? new PfxOptions().setPath(k.trustStore().toString())
              .setPassword(k.trustStorePassword()) : new JksOptions().setPath(k.trustStore().toString())
              .setPassword(k.trustStorePassword()));
      case ClusterConfig.Pem p -> bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(p.certificate().toString())
              .setKeyPath(p.key().toString()))
          .setTrustOptions(new PemTrustOptions().addCertPath(p.ca().toString()));
    }
    return bus;
  }

  static boolean pkcs12(Path store) {
    String lower = store.getFileName().toString().toLowerCase(Locale.ROOT);
    return lower.endsWith(".p12") || lower.endsWith(".pfx");
  }

  /**
   * Opens the TLS files the way the event bus will, so that a wrong path, password or format is
   * reported at once in one line (Vert.x would only log it and never finish joining).
   *
   * @throws IllegalArgumentException saying which file is wrong and why
   */
  static void checkTls(ClusterConfig.Tls tls) {
    switch (tls) {
      case null -> { }
      case ClusterConfig.KeyStores k -> {
        KeyStore keys = load(k.keyStore(), k.keyStorePassword(), "--tls-keystore");
        KeyStore trust = load(k.trustStore(), k.trustStorePassword(), "--tls-truststore");
        try {
          boolean hasKey = false;
          for (String alias : java.util.Collections.list(keys.aliases())) {
            hasKey |= keys.isKeyEntry(alias);
          }
          if (!hasKey) {
            throw new IllegalArgumentException("--tls-keystore " + k.keyStore() + " holds no private key");
          }
          boolean hasCert = false;
          for (String alias : java.util.Collections.list(trust.aliases())) {
            hasCert |= trust.isCertificateEntry(alias);
          }
          if (!hasCert) {
            throw new IllegalArgumentException("--tls-truststore " + k.trustStore() + " holds no trusted certificate"
                + " (import the other machines' certificates, or their CA, with keytool -importcert)");
          }
        } catch (KeyStoreException e) {
          throw new IllegalArgumentException("cannot read " + k.keyStore() + ": " + e.getMessage());
        }
      }
      case ClusterConfig.Pem p -> {
        certificates(p.certificate(), "--tls-cert");
        certificates(p.ca(), "--tls-ca");
        String key = read(p.key(), "--tls-key");
        if (!key.contains("-----BEGIN PRIVATE KEY-----") && !key.contains("-----BEGIN RSA PRIVATE KEY-----")
            && !key.contains("-----BEGIN EC PRIVATE KEY-----")) {
          throw new IllegalArgumentException("--tls-key " + p.key() + " is not an unencrypted PEM private key"
              + " (expected -----BEGIN PRIVATE KEY-----)");
        }
      }
    }
  }

  private static KeyStore load(Path file, String password, String option) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(option + " " + file + " does not exist");
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(pkcs12(file) ? "PKCS12" : "JKS");
      ks.load(in, password.toCharArray());
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      String why = e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage())
          .contains("password") ? "wrong password (set it in the environment variable named in --help)"
          : e.getMessage();
      throw new IllegalArgumentException("cannot open " + option + " " + file + ": " + why);
    }
  }

  private static void certificates(Path file, String option) {
    String text = read(file, option);
    try (InputStream in = new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new IllegalArgumentException(option + " " + file + " holds no certificate");
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(option + " " + file + " is not a PEM certificate file: " + e.getMessage());
    }
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getMessage());
    }
  }

  /** Strong references: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final List<Logger> QUIETED = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Hazelcast and Vert.x log at INFO by default; keep errors only unless {@code
   * -Dstrata.cluster.debug=true} or {@code STRATA_DEBUG=1}. A failed start is not logged at all
   * (with its stack trace) by Vert.x: {@link #start} reports it in one line.
   */
  private static void quietLogging() {
    if (!Boolean.getBoolean("strata.cluster.debug") && !"1".equals(System.getenv("STRATA_DEBUG"))
        && QUIETED.isEmpty()) {
      for (String name : new String[] {"com.hazelcast", "io.vertx", "io.netty"}) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        QUIETED.add(logger);
      }
      Logger start = Logger.getLogger("io.vertx.core.impl.VertxImpl");
      start.setLevel(Level.OFF);
      QUIETED.add(start);
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This member's id in the cluster (the Hazelcast member UUID). */
  public String nodeId() {
    return manager.getNodeId();
  }

  /** How many members the cluster has now. */
  public int members() {
    return manager.getNodes().size();
  }

  /** Calls the listener (on a Hazelcast thread; it must return quickly) with the node id of every member that leaves. */
  public void onMemberRemoved(Consumer<String> listener) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // joining is announced by the worker's own registration
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        listener.accept(event.getMember().getUuid().toString());
      }
    });
  }

  /** Leaves the cluster; waits up to 20 s. */
  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // leaving is best effort: the others notice the missing heartbeats
    }
  }
}
