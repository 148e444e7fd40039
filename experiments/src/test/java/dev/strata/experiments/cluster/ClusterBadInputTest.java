package dev.strata.experiments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.cli.StrataCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad cluster options on {@code run}, {@code resume} and {@code worker}: one line on stderr, exit
 * code 2, no stack trace, and the run directory untouched (nothing joins a cluster).
 */
class ClusterBadInputTest {

  private record Result(int code, String err) {}

  private static Result strata(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Result(StrataCommand.execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void badClusterOptionsAreOneLineAndExitTwo(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("h.json");
    Files.writeString(file, """
        {"name": "h", "objective": {"function": "branin"},
         "search": {"strategies": ["random"], "budget": {"trials": 3}}}
        """);
    Path runs = tmp.resolve("runs");
    assertEquals(0, strata("run", file.toString(), "--runs-dir", runs.toString()).code());
    Path run = runs.resolve("h");
    String before = digest(run.resolve("strata.db"));

    Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello\n");
    List<List<String>> cases = List.of(
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
    for (List<String> args : cases) {
      Result r = strata(args.toArray(String[]::new));
      String context = args + " -> exit " + r.code() + ", stderr:\n" + r.err();
      assertEquals(2, r.code(), context);
      assertEquals(1, r.err().strip().lines().count(), context);
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), context);
    }
    assertEquals(before, digest(run.resolve("strata.db")), "the run was not touched");
    assertFalse(Files.exists(tmp.resolve("other")), "nothing was created");
    assertTrue(strata("resume", run.toString(), "--cluster", "--join", "nohost").err().contains("host:port"));
  }

  private static String digest(Path p) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
