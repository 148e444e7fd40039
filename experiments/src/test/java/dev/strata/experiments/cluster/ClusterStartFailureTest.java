package dev.strata.experiments.cluster;

import static dev.strata.experiments.cluster.ClusterTestSupport.braninExperiment;
import static dev.strata.experiments.cluster.ClusterTestSupport.fileSnapshot;
import static dev.strata.experiments.cluster.ClusterTestSupport.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.cli.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node that passes the up-front checks and still fails to start (its event-bus port
 * taken in the moment between the check and the start, as by another program): {@code resume
 * --cluster} leaves every file of the run as it was and {@code run --cluster} creates nothing; both
 * print one line and exit 2.
 */
class ClusterStartFailureTest {

  private final List<ServerSocket> taken = new CopyOnWriteArrayList<>();

  @AfterEach
  void release() throws IOException {
    ClusterNode.afterChecks = config -> { };
    releaseTaken();
  }

  /** Takes the event-bus port once the checks have passed, so that Vert.x fails to listen on it. */
  private void takeTheEventBusPortAfterTheChecks() {
    ClusterNode.afterChecks = config -> {
      try {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.eventBusPort()));
        taken.add(s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  @Test
  @Timeout(180)
  void aNodeThatFailsToStartLeavesTheRunAsItWas(@TempDir Path tmp) throws Exception {
    Path file = braninExperiment(tmp);
    Path runs = tmp.resolve("runs");
    assertEquals(0, Cli.execute("run", file.toString(), "--runs-dir", runs.toString()).code());
    Path run = runs.resolve("h");
    Map<String, String> before = fileSnapshot(run);
    assertTrue(before.containsKey("strata.db") && before.containsKey("strata.log"), before.toString());

    takeTheEventBusPortAfterTheChecks();
    String cluster = "f" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
    int clusterPort = freePort();
    int busPort = freePort();
    String[] clusterOptions = {"--cluster", "--cluster-name", cluster, "--cluster-port", Integer.toString(clusterPort),
        "--event-bus-port", Integer.toString(busPort), "--local-workers", "0"};

    Cli.Result r = Cli.execute(concat(List.of("resume", run.toString()), clusterOptions));
    String context = "exit " + r.code() + ", stderr:\n" + r.err();
    assertEquals(2, r.code(), context);
    assertEquals(1, r.err().strip().lines().count(), context);
    assertTrue(r.err().startsWith("cannot start the cluster node on 127.0.0.1 (--cluster-port " + clusterPort
        + ", --event-bus-port " + busPort + ")"), context);
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), context);
    assertEquals(before, fileSnapshot(run), "no file of the run was written, created or removed");

    releaseTaken();
    Path other = tmp.resolve("other");
    r = Cli.execute(concat(List.of("run", file.toString(), "--runs-dir", other.toString()), clusterOptions));
    context = "exit " + r.code() + ", stderr:\n" + r.err();
    assertEquals(2, r.code(), context);
    assertEquals(1, r.err().strip().lines().count(), context);
    assertTrue(r.err().startsWith("cannot start the cluster node on 127.0.0.1"), context);
    assertFalse(Files.exists(other), "nothing was created");
  }

  private void releaseTaken() throws IOException {
    for (ServerSocket s : taken) {
      s.close();
    }
    taken.clear();
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }
}
