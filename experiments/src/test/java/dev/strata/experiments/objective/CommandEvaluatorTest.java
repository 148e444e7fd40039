package dev.strata.experiments.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandEvaluatorTest {

  @TempDir Path dir;

  private TrialResult run(String script, double timeout) throws Exception {
    Path file = dir.resolve("objective.sh");
    Files.writeString(file, script);
    var command = new ObjectiveSource.Command(List.of("sh", file.toString()), dir, timeout, Map.of("EXTRA", "yes"));
    return new CommandEvaluator(command, "accuracy")
        .evaluate(Configuration.of(Map.of("x", 0.5, "name", "a b")), FakeContext.of(dir));
  }

  @Test
  void readsTheMetricFromTheLastJsonLineAndPassesTheConfiguration() throws Exception {
    TrialResult r = run("""
        echo "starting"
        echo '{"epoch": 1, "accuracy": 0.5, "loss": 0.9}'
        test "$STRATA_CONFIG" = "$1" || exit 9
        test "$STRATA_TRIAL_ID" = 42 || exit 8
        test "$STRATA_SEED" = 7 || exit 7
        test "$EXTRA" = yes || exit 6
        grep -q '"x":0.5' "$STRATA_CONFIG" || exit 5
        echo '{"accuracy": 0.93, "loss": 0.2, "note": "text"}'
        echo "bye, not JSON"
        """, 0);
    assertEquals(TrialStatus.COMPLETED, r.status(), r.reason());
    assertEquals(0.93, r.metrics().get("accuracy"));
    assertEquals(0.2, r.metrics().get("loss"));
    assertFalse(r.metrics().containsKey("note"));
  }

  @Test
  void withParametersNniANestedChoiceArrivesAsNnisNestedObject() throws Exception {
    var space = dev.strata.search.space.NniSpaceReader.parse("""
        {"lr": {"_type": "loguniform", "_value": [0.0001, 0.1]},
         "optimizer": {"_type": "choice", "_value": [
           {"_name": "sgd", "momentum": {"_type": "normal", "_value": [0.9, 0.03]}},
           {"_name": "rmsprop"}]}}""", "nni.json");
    Path file = dir.resolve("nni.sh");
    Files.writeString(file, """
        cp "$1" seen.json
        echo '{"accuracy": 1}'
        """);
    Configuration sgd = Configuration.of(Map.of("lr", 0.01, "optimizer", "sgd", "optimizer.sgd.momentum", 0.91));
    for (boolean nni : new boolean[] {true, false}) {
      var command = new ObjectiveSource.Command(List.of("sh", file.toString()), dir, 0, Map.of(), nni);
      TrialResult r = new CommandEvaluator(command, "accuracy", space).evaluate(sgd, FakeContext.of(dir));
      assertEquals(TrialStatus.COMPLETED, r.status(), r.reason());
      String seen = Files.readString(dir.resolve("seen.json"));
      assertEquals(nni ? "{\"lr\":0.01,\"optimizer\":{\"_name\":\"sgd\",\"momentum\":0.91}}" : sgd.canonicalJson(), seen);
    }
  }

  @Test
  void epochLinesAreReportedAndAStopPrunes() throws Exception {
    Path file = dir.resolve("epochs.sh");
    Files.writeString(file, """
        for i in 1 2 3 4 5 6 7 8 9 10; do echo "{\\"epoch\\": $i, \\"accuracy\\": 0.$i}"; sleep 0.2; done
        echo '{"accuracy": 0.99}'
        """);
    var command = new ObjectiveSource.Command(List.of("sh", file.toString()), dir, 0, Map.of());
    FakeContext context = FakeContext.of(dir);
    context.stopAfter = 2;
    TrialResult r = new CommandEvaluator(command, "accuracy").evaluate(Configuration.of(Map.of()), context);
    assertEquals(TrialStatus.PRUNED, r.status(), r.reason());
    assertEquals(2, context.epochs.size());
    assertEquals(0.2, context.epochs.get(1).valMetric(), 1e-12);
  }

  @Test
  void aCrashIsFailedWithTheTailOfStderr() throws Exception {
    StringBuilder script = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      script.append("echo 'error line ").append(i).append("' >&2\n");
    }
    script.append("exit 3\n");
    TrialResult r = run(script.toString(), 0);
    assertEquals(TrialStatus.FAILED, r.status());
    assertTrue(r.reason().contains("exit code 3"), r.reason());
    assertTrue(r.reason().contains("error line 30"), r.reason());
    assertTrue(r.reason().contains("error line 11"), r.reason());
    assertFalse(r.reason().contains("error line 10 "), r.reason());
    assertFalse(r.reason().contains("error line 1 |"), r.reason());
    assertTrue(r.reason().length() < 2300, r.reason());
  }

  @Test
  void garbageOutputIsFailedWithAClearReason() throws Exception {
    TrialResult r = run("echo 'accuracy = 0.9'\n", 0);
    assertEquals(TrialStatus.FAILED, r.status());
    assertTrue(r.reason().contains("no JSON object line"), r.reason());
    assertTrue(r.reason().contains("accuracy = 0.9"), r.reason());

    TrialResult missing = run("echo '{\"acc\": 0.9}'\n", 0);
    assertEquals(TrialStatus.FAILED, missing.status());
    assertTrue(missing.reason().contains("has no 'accuracy'"), missing.reason());

    TrialResult nan = run("echo '{\"accuracy\": \"NaN\"}'\n", 0);
    assertEquals(TrialStatus.DIVERGED, nan.status(), nan.reason());
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    Path pidFile = dir.resolve("grandchild.pid");
    long start = System.nanoTime();
    // sh (child) starts a subshell (grandchild's parent) that starts sleep (the grandchild).
    TrialResult r = run("(sleep 300 & echo $! > '" + pidFile + "'; wait) \nwait\n", 1.0);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(TrialStatus.FAILED, r.status());
    assertTrue(r.reason().contains("timed out"), r.reason());
    assertTrue(seconds < 10, "took " + seconds + " s");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    Optional<ProcessHandle> grandchild = ProcessHandle.of(pid);
    assertTrue(grandchild.isEmpty() || !grandchild.get().isAlive(), "grandchild " + pid + " still alive");
  }
}
