package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.cli.StrataCommand;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.trial.TrialRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of {@code strata run} at many points of its start-up: as soon as the run
 * directory, the lock, the database, its WAL, the experiment copy or the first trial appears, and
 * a few milliseconds later. After each kill the directory must be absent, or left half-created so
 * that {@code strata run} replaces it, or a run that {@code strata resume} finishes: never a
 * directory that both refuse. {@code -Dstrata.startupkill.delays=0,3,10,30} sweeps more points.
 */
class StartupKillTest {

  @TempDir Path tmp;

  static final String EXPERIMENT = """
      {"name": "startup", "seed": 7, "objective": {"function": "branin"},
       "search": {"strategies": ["random"], "seeds": [1], "parallel": 1, "budget": {"trials": 3}}}
      """;

  /** What the killer waits for in the run directory before it kills. */
  record Point(String what, Predicate<Path> reached) {}

  static final List<Point> POINTS = List.of(
      new Point("run directory", Files::isDirectory),
      new Point("lock file", d -> Files.exists(d.resolve("strata.lock"))),
      new Point("database file", d -> Files.exists(d.resolve("strata.db"))),
      new Point("database WAL", d -> Files.exists(d.resolve("strata.db-wal"))),
      new Point("experiment copy", d -> Files.exists(d.resolve("experiment.json"))),
      new Point("trials running", d -> Files.exists(d.resolve("strata.log"))));

  @Test
  void aKillAtAnyPointOfStartUpLeavesNothingOrAResumableRun() throws Exception {
    Path spec = tmp.resolve("startup.json");
    Files.writeString(spec, EXPERIMENT);
    List<Integer> delays = new ArrayList<>();
    for (String d : System.getProperty("strata.startupkill.delays", "0,5").split(",")) {
      delays.add(Integer.parseInt(d.trim()));
    }
    int killed = 0;
    List<String> outcomes = new ArrayList<>();
    for (Point point : POINTS) {
      for (int delay : delays) {
        String at = point.what() + " + " + delay + " ms";
        Path runs = tmp.resolve("runs-" + killed + "-" + outcomes.size());
        Path dir = runs.resolve("startup");
        Process p = launch(spec, runs);
        long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && !point.reached().test(dir) && System.nanoTime() < give) {
          Thread.onSpinWait();
        }
        if (delay > 0) {
          Thread.sleep(delay);
        }
        boolean alive = p.isAlive();
        p.destroyForcibly();
        p.waitFor();
        if (!alive) {
          outcomes.add(at + ": finished before the kill");
          continue;
        }
        killed++;
        if (RunStore.exists(dir) && !RunStore.isHalfCreated(dir)) {
          assertEquals(0, StrataCommand.execute("resume", dir.toString()), "killed at " + at + ": the stored run resumes");
          outcomes.add(at + ": resumed");
        } else {
          assertEquals(0, StrataCommand.execute("run", spec.toString(), "--runs-dir", runs.toString()),
              "killed at " + at + ": nothing usable was stored, so 'strata run' starts it again");
          outcomes.add(at + ": run again");
        }
        try (RunReader reader = RunStore.openReader(dir)) {
          List<TrialRecord> trials = reader.trials(new TrialQuery(java.util.Optional.empty(), java.util.Optional.empty(),
              java.util.Optional.empty(), "id", true, 0, 100)).items();
          assertEquals(3, trials.stream().filter(t -> t.status().isFinished()).count(), "killed at " + at + ": " + trials);
        }
        assertEquals("ok", RunStore.integrityCheck(dir), "killed at " + at);
      }
    }
    System.out.println("start-up kills: " + outcomes);
    assertTrue(killed >= POINTS.size(), "most points were reached before the run ended: " + outcomes);
  }

  private static Process launch(Path spec, Path runs) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), StrataCommand.class.getName(), "run", spec.toString(), "--runs-dir",
        runs.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }
}
