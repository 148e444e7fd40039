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
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
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
   * @throws IllegalStateException when Vert.x or Hazelcast cannot start (port taken, bad TLS store)
   */
  public static ClusterNode start(ClusterConfig config) {
    quietLogging();
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
    if (c.tls() != null) {
      bus.setSsl(true)
          .setKeyCertOptions(store(c.tls().keyStore().toString(), c.tls().keyStorePassword()))
          .setTrustOptions(store(c.tls().trustStore().toString(), c.tls().trustStorePassword()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return bus;
  }

  private static KeyStoreOptions store(String path, String password) {
    String lower = path.toLowerCase(Locale.ROOT);
    String type = lower.endsWith(".p12") || lower.endsWith(".pfx") ? "PKCS12" : "JKS";
    return new KeyStoreOptions().setType(type).setPath(path).setPassword(password);
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
