package dev.strata.experiments.cluster;

import static dev.strata.experiments.cluster.ClusterTestSupport.braninExperiment;
import static dev.strata.experiments.cluster.ClusterTestSupport.fileSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.cli.Cli;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad cluster options on {@code run}, {@code resume} and {@code worker}: one line on stderr, exit
 * code 2, no stack trace, and the run directory untouched (nothing joins a cluster). Also options
 * that are well formed but cannot work on this machine (a port in use, a host that is not this
 * machine's, a join host that does not resolve): found before Vert.x starts, so at once.
 */
class ClusterBadInputTest {

  @Test
  void badClusterOptionsAreOneLineAndExitTwo(@TempDir Path tmp) throws Exception {
    Path file = braninExperiment(tmp);
    Path runs = tmp.resolve("runs");
    assertEquals(0, Cli.execute("run", file.toString(), "--runs-dir", runs.toString()).code());
    Path run = runs.resolve("h");
    Map<String, String> before = fileSnapshot(run);

    Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello\n");
    ServerSocket taken = new ServerSocket();
    taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    String port = Integer.toString(taken.getLocalPort());
    List<List<String>> cases = List.of(
        // the machine, not the syntax: found before anything starts (no 120 s wait for Vert.x)
        List.of("resume", run.toString(), "--cluster", "--cluster-port", port),
        List.of("resume", run.toString(), "--cluster", "--cluster-host", "203.0.113.7"),
        List.of("run", file.toString(), "--runs-dir", tmp.resolve("other").toString(), "--cluster", "--event-bus-port",
            port),
        List.of("worker", "--cluster", "--join", "127.0.0.1:1", "--cluster-port", port),
        List.of("worker", "--cluster", "--join", "127.0.0.1:1", "--cluster-host", "203.0.113.7"),
        List.of("worker", "--cluster", "--join", "no-such-host.invalid:5701"),
        List.of("resume", run.toString(), "--cluster", "--join", "nohost"),
        List.of("resume", run.toString(), "--cluster", "--tls-cert", notPem.toString(), "--tls-key", notPem.toString(),
            "--tls-ca", notPem.toString()),
        List.of("resume", run.toString(), "--cluster", "--tls-keystore", tmp.resolve("missing.p12").toString(),
            "--tls-truststore", tmp.resolve("missing.p12").toString()),
        List.of("run", file.toString(), "--runs-dir", tmp.resolve("other").toString(), "--cluster", "--tls-cert",
            notPem.toString()),
        List.of("worker", "--cluster", "--join", "127.0.0.1:1", "--tls-ca", notPem.toString()),
        List.of("worker", "--cluster", "--join", "127.0.0.1:1", "--heartbeat-seconds", "5",
            "--worker-timeout-seconds", "6"));
    try (taken) {
      for (List<String> args : cases) {
        long t0 = System.nanoTime();
        Cli.Result r = Cli.execute(args.toArray(String[]::new));
        String context = args + " -> exit " + r.code() + ", stderr:\n" + r.err();
        assertEquals(2, r.code(), context);
        assertEquals(1, r.err().strip().lines().count(), context);
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), context);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "a hang guard: " + context);
      }
      assertTrue(Cli.execute("resume", run.toString(), "--cluster", "--cluster-port", port).err()
          .startsWith("--cluster-port " + port + " on 127.0.0.1 is already in use"));
      assertTrue(Cli.execute("worker", "--cluster", "--join", "127.0.0.1:1", "--cluster-host", "203.0.113.7").err()
          .startsWith("--cluster-host 203.0.113.7 is not an address of this machine; give one of "));
    }
    assertEquals(before, fileSnapshot(run), "the run was not touched");
    assertFalse(Files.exists(tmp.resolve("other")), "nothing was created");
    assertTrue(Cli.execute("resume", run.toString(), "--cluster", "--join", "nohost").err().contains("host:port"));
  }
}
