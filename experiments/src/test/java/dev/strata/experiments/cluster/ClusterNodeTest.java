package dev.strata.experiments.cluster;

import static dev.strata.experiments.cluster.ClusterTestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * A cluster node that cannot start fails at once with one line naming the option, instead of
 * waiting for Vert.x: a port already taken, a host that is not this machine's, a join host that
 * does not resolve. The elapsed-time bounds are hang guards, not performance checks.
 */
class ClusterNodeTest {

  private static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static String clusterName() {
    return "n" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
  }

  private static ClusterConfig.Builder config(String cluster) {
    return ClusterConfig.builder().clusterName(cluster).host("127.0.0.1").port(0).eventBusPort(0)
        .heartbeat(Duration.ofMillis(500)).workerTimeout(Duration.ofSeconds(4));
  }

  private static IllegalArgumentException startFails(ClusterConfig config) {
    long t0 = System.nanoTime();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterNode.start(config).close());
    assertTrue(System.nanoTime() - t0 < HANG_GUARD_NANOS, "failed at once, not after a wait");
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e;
  }

  @Test
  @Timeout(60)
  void aClusterPortInUseIsOneLineNamingTheOption() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      String m = startFails(config(clusterName()).port(port).build()).getMessage();
      assertEquals("--cluster-port " + port + " on 127.0.0.1 is already in use (another coordinator or program listens"
          + " there; 'ss -ltnp' shows which); stop it or give another --cluster-port", m);
      m = startFails(config(clusterName()).eventBusPort(port).build()).getMessage();
      assertTrue(m.startsWith("--event-bus-port " + port + " on 127.0.0.1 is already in use"), m);
      assertTrue(m.endsWith("give another --event-bus-port"), m);
    }
    int p = freePort();
    String m = startFails(config(clusterName()).port(p).eventBusPort(p).build()).getMessage();
    assertEquals("--cluster-port and --event-bus-port are both " + p + "; give them different ports", m);
  }

  @Test
  @Timeout(60)
  void aHostThatIsNotThisMachinesIsOneLineNamingTheOption() {
    // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never an address of a real machine.
    String m = startFails(config(clusterName()).host("203.0.113.7").build()).getMessage();
    assertTrue(m.startsWith("--cluster-host 203.0.113.7 is not an address of this machine; give one of "), m);
    assertTrue(m.contains("127.0.0.1"), m);
    m = startFails(config(clusterName()).host("0.0.0.0").build()).getMessage();
    assertTrue(m.startsWith("--cluster-host 0.0.0.0 is the wildcard address"), m);
    m = startFails(config(clusterName()).host("not a host").build()).getMessage();
    assertTrue(m.startsWith("--cluster-host 'not a host' is not an IP address or host name"), m);
    m = startFails(config(clusterName()).join(List.of("no-such-host.invalid:5701")).build()).getMessage();
    assertEquals("--join no-such-host.invalid:5701: unknown host 'no-such-host.invalid'; give the coordinator's IP"
        + " address or a name this machine can resolve", m);
  }

  @Test
  void theOptionsCheckTheHostBeforeAnythingStarts() {
    ClusterOptions o = new ClusterOptions();
    new CommandLine(o).parseArgs("--cluster", "--cluster-host", "203.0.113.7");
    String m = assertThrows(IllegalArgumentException.class, () -> o.toConfig(true)).getMessage();
    assertTrue(m.startsWith("--cluster-host 203.0.113.7 is not an address of this machine"), m);
  }

  @Test
  @Timeout(30)
  void aHostNameThatResolvesSlowlyIsOneLineAfterTheBoundNotAHang() throws Exception {
    CountDownLatch dns = new CountDownLatch(1); // a DNS server that never answers
    ClusterNode.Resolver slow = host -> {
      try {
        dns.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new UnknownHostException(host);
    };
    try {
      long t0 = System.nanoTime();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterNode.resolve(
          "slow.example", Duration.ofMillis(200), slow, "--join slow.example:5701", "give an IP address or check DNS"));
      assertTrue(System.nanoTime() - t0 < HANG_GUARD_NANOS, "bounded wait");
      assertEquals("--join slow.example:5701: could not resolve 'slow.example' within 0.2 s; give an IP address or"
          + " check DNS", e.getMessage());
    } finally {
      dns.countDown();
    }
    assertEquals(null, ClusterNode.resolve("nohost", Duration.ofSeconds(5), h -> {
      throw new UnknownHostException(h);
    }, "--join nohost:1", "fix"), "an unknown name is no timeout");
    assertEquals(InetAddress.getLoopbackAddress(), ClusterNode.resolve("127.0.0.1", ClusterNode.RESOLVE_TIMEOUT,
        InetAddress::getByName, "--cluster-host 127.0.0.1", "fix"));
  }

  @Test
  @Timeout(120)
  void whenVertxItselfFailsTheWaitIsBoundedAndNothingIsLeftRunning() throws Exception {
    String cluster = clusterName();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      // Without the up-front checks, as if the port were taken between the check and the start.
      long t0 = System.nanoTime();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> ClusterNode.start(config(cluster).eventBusPort(port).build(), Duration.ofSeconds(10), false).close());
      assertTrue(System.nanoTime() - t0 < HANG_GUARD_NANOS, "bounded wait");
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().startsWith("cannot start the cluster node on 127.0.0.1 (--cluster-port auto,"
          + " --event-bus-port " + port + ")") || e.getMessage().startsWith("the cluster node on 127.0.0.1"), e.getMessage());
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<String> left;
    do {
      Thread.sleep(200);
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().contains(cluster)).map(Thread::getName).toList();
    } while (!left.isEmpty() && System.nanoTime() < until);
    assertEquals(List.of(), left, "the failed node's Hazelcast threads are gone");
  }
}
