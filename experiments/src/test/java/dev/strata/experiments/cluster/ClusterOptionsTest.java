package dev.strata.experiments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterOptionsTest {

  private static ClusterOptions parse(String... args) {
    ClusterOptions o = new ClusterOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void coordinatorAndWorkerDefaults() {
    ClusterConfig c = parse("--cluster").toConfig(true);
    assertEquals(ClusterConfig.DEFAULT_PORT, c.port());
    assertEquals(ClusterConfig.DEFAULT_EVENT_BUS_PORT, c.eventBusPort());
    assertEquals(false, c.multicast());
    ClusterConfig w = parse("--cluster", "--join", "10.0.0.5:5701,10.0.0.6:5701").toConfig(false);
    assertEquals(0, w.port());
    assertEquals(List.of("10.0.0.5:5701", "10.0.0.6:5701"), w.join());
    assertEquals(5, parse("--local-workers", "5").localWorkers(2));
    assertEquals(2, parse().localWorkers(2));
  }

  @Test
  void badValuesSayWhatIsWrong(@TempDir Path dir) throws Exception {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--join", "nohost").toConfig(false))
        .getMessage().contains("host:port"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--tls-keystore", "k.p12").toConfig(true))
        .getMessage().contains("--tls-truststore"));
    Path shortSecret = Files.writeString(dir.resolve("s"), "short");
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> parse("--cluster-secret-file", shortSecret.toString()).toConfig(true)).getMessage().contains("16"));
    Path secret = Files.writeString(dir.resolve("t"), "a-long-enough-secret-value\n");
    ClusterConfig c = parse("--cluster-secret-file", secret.toString()).toConfig(true);
    assertEquals("a-long-enough-secret-value", c.secret());
    assertTrue(!c.toString().contains("a-long-enough"), "the secret is never printed");
  }
}
