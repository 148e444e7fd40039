package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real separate JVM running an experiment with SIGKILL ({@link Process#destroyForcibly()})
 * at seeded random moments while trials are finishing, then resumes it to the end and checks that
 * no finished trial was lost or changed, every study has exactly its budget, the database passes
 * {@code PRAGMA integrity_check}, and (the run being reproducible) the result equals an
 * uninterrupted run. {@code -Dstrata.kill9.cycles=N} makes it longer (scripts/kill9-soak.sh).
 *
 * <p>The child is the real CLI ({@code strata run FILE}, then {@code strata resume DIR}) on a
 * test-function experiment; {@code -Dstrata.kill9.mode=harness} uses {@link KillNineMain} instead
 * (a synthetic evaluator with epochs and sleeps, greedy strategies that depend on tell order).
 */
class KillNineTest {

  @TempDir Path tmp;

  static final int TRIALS = Integer.getInteger("strata.kill9.trials", 30);
  static final int PARALLEL = 2;
  static final int MAX_SLEEP_MS = 30;

  static final String EXPERIMENT = """
      {"name": "kill9", "seed": 99, "objective": {"function": "branin"},
       "search": {"strategies": ["random", "evolution"], "seeds": [1, 2], "parallel": 2, "reproducible": true,
                  "budget": {"trials": %d}}}
      """;

  private boolean cli;
  private Path experimentFile;
  private int budget;

  @Test
  void killedRunsResumeWithoutLosingOrDuplicatingTrials() throws Exception {
    cli = !"harness".equals(System.getProperty("strata.kill9.mode")) && cliAvailable();
    budget = cli ? Math.max(60, TRIALS) : TRIALS;
    if (cli) {
      experimentFile = tmp.resolve("kill9.json");
      java.nio.file.Files.writeString(experimentFile, EXPERIMENT.formatted(budget));
    }
    int cycles = Integer.getInteger("strata.kill9.cycles", 5);
    long seed = Long.getLong("strata.kill9.seed", 2026);
    Random random = new Random(seed);
    Path dir = cli ? tmp.resolve("runs").resolve("kill9") : tmp.resolve("kill9");
    Map<String, String> committed = new HashMap<>();
    int kills = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      int before = finished(dir).size();
      Process p = launch(dir);
      // Kill after a seeded number of further trials, not after a wait: a branin trial takes well under
      // a millisecond, so on a fast host a timed wait let the run reach its end before the fifth kill.
      int target = before + 1 + random.nextInt(8);
      long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (p.isAlive() && finished(dir).size() < target && System.nanoTime() < give) {
        Thread.sleep(2);
      }
      Thread.sleep(random.nextInt(20));
      if (!p.isAlive()) {
        break;
      }
      p.destroyForcibly();
      p.waitFor();
      kills++;
      assertEquals("ok", RunStore.integrityCheck(dir), "after kill " + kills);
      Map<String, String> now = finished(dir);
      for (var e : committed.entrySet()) {
        assertEquals(e.getValue(), now.get(e.getKey()), "finished trial " + e.getKey() + " survives kill " + kills);
      }
      committed.putAll(now);
      System.out.println("kill9: kill " + kills + " after " + now.size() + " finished trials");
    }
    Process last = launch(dir);
    assertTrue(last.waitFor(60, TimeUnit.SECONDS), "the resumed run finishes");
    assertEquals(0, last.exitValue(), "the resumed run reports finished");
    assertTrue(kills >= Math.min(cycles, 5), "killed mid-run " + kills + " times");

    assertEquals("ok", RunStore.integrityCheck(dir));
    Map<String, String> end = finished(dir);
    for (var e : committed.entrySet()) {
      assertEquals(e.getValue(), end.get(e.getKey()), "finished trial " + e.getKey() + " kept");
    }
    try (RunReader reader = RunStore.openReader(dir)) {
      for (StudyRecord s : reader.studies()) {
        List<Integer> indices = new ArrayList<>();
        for (TrialRecord t : reader.trials(new TrialQuery(Optional.of(s.strategy()), Optional.of(s.seed()),
            Optional.empty(), "id", true, 0, 1000)).items()) {
          assertTrue(t.status().isFinished(), t.id() + " " + t.status());
          indices.add(t.index());
        }
        indices.sort(null);
        assertEquals(java.util.stream.IntStream.range(0, budget).boxed().toList(), indices,
            s.label() + " has exactly its budget, no index twice");
      }
      assertEquals(reader.eventsAfter(0, 100_000).size(), reader.lastEventId(), "gapless events");
    }
    // reproducible: the killed-and-resumed run equals an uninterrupted one
    Path whole = tmp.resolve("whole");
    if (cli) {
      assertEquals(0, dev.strata.experiments.cli.StrataCommand.execute("run", experimentFile.toString(),
          "--runs-dir", whole.toString()));
      assertEquals(RunnerTest.snapshot(whole.resolve("kill9")), RunnerTest.snapshot(dir));
      return;
    }
    try (RunStore store = RunStore.create(whole, "whole", "loss", KillNineMain.plan(TRIALS, PARALLEL).direction(), "{}")) {
      Runner.builder(KillNineMain.plan(TRIALS, PARALLEL), Fixtures.branin(3, 0), store)
          .strategies(Fixtures.STRATEGIES).build().run();
    }
    assertEquals(RunnerTest.snapshot(whole), RunnerTest.snapshot(dir));
  }

  /** Whether the CLI has working {@code run} and {@code resume} commands; else the harness is used. */
  private static boolean cliAvailable() {
    try {
      boolean ok = new picocli.CommandLine(new dev.strata.experiments.cli.StrataCommand()).getSubcommands()
          .keySet().containsAll(List.of("run", "resume"));
      System.out.println("kill9: " + (ok ? "using the CLI" : "the CLI has no run/resume yet: using the harness"));
      return ok;
    } catch (RuntimeException e) {
      System.out.println("kill9: the CLI does not start (" + e.getMessage() + "): using the harness");
      return false;
    }
  }

  private Process launch(Path dir) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
    if (cli) {
      command.add(dev.strata.experiments.cli.StrataCommand.class.getName());
      command.addAll(RunStore.exists(dir) ? List.of("resume", dir.toString())
          : List.of("run", experimentFile.toString(), "--runs-dir", dir.getParent().toString()));
    } else {
      command.addAll(List.of(KillNineMain.class.getName(), dir.toString(), Integer.toString(TRIALS),
          Integer.toString(PARALLEL), Integer.toString(MAX_SLEEP_MS)));
    }
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** The finished trials: "label#index" → "config value status". */
  private static Map<String, String> finished(Path dir) {
    Map<String, String> out = new TreeMap<>();
    if (!RunStore.exists(dir)) {
      return out;
    }
    try (RunReader reader = RunStore.openReader(dir)) {
      Map<Long, String> labels = new HashMap<>();
      for (StudyRecord s : reader.studies()) {
        labels.put(s.id(), s.label());
      }
      for (TrialRecord t : reader.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(),
          "id", true, 0, 1000)).items()) {
        if (t.status().isFinished()) {
          out.put(labels.get(t.studyId()) + "#" + t.index(),
              t.configuration().canonicalJson() + " " + t.value() + " " + t.status());
        }
      }
    } catch (RuntimeException e) {
      // the file may be half-created in the first instants of the first run
      return out;
    }
    return out;
  }
}
