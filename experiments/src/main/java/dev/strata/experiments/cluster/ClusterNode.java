package dev.strata.experiments.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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

  /**
   * Joins (or forms) the cluster; blocks until joined.
   *
   * @throws IllegalArgumentException when a TLS file cannot be used (see {@link #checkTls})
   * @throws IllegalStateException when Vert.x or Hazelcast cannot start (port taken)
   */
  public static ClusterNode start(ClusterConfig config) {
    quietLogging();
    checkTls(config.tls());
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(config));
    VertxOptions options = new VertxOptions().setEventBusOptions(eventBus(config));
    try {
      Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      return new ClusterNode(vertx, manager);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining the cluster", e);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot join the cluster on " + config.host() + " (Hazelcast port "
          + portText(config.port()) + ", event-bus port " + portText(config.eventBusPort()) + "): " + cause.getMessage(), cause);
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

  /** Hazelcast and Vert.x log at INFO by default; keep warnings only unless {@code -Dstrata.cluster.debug=true}. */
  private static void quietLogging() {
    if (!Boolean.getBoolean("strata.cluster.debug")) {
      for (String name : new String[] {"com.hazelcast", "io.vertx", "io.netty"}) {
        Logger.getLogger(name).setLevel(Level.SEVERE);
      }
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
