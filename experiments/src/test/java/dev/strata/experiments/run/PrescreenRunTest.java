package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.objective.Evaluators;
import dev.strata.experiments.objective.PrescreenedEvaluator;
import dev.strata.experiments.objective.Prescreening;
import dev.strata.experiments.objective.TrainingEvaluator;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.runs.RunState;
import dev.strata.runs.TrialQuery;
import dev.strata.search.strategy.StrategyProvider;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre-screening in whole runs on the bundled digits: exact under stop and resume, transparent when off. */
class PrescreenRunTest {

  @TempDir
  Path tmp;

  /** A small digits space; {@code prescreen} is the search's prescreen member or empty. */
  static ExperimentSpec experiment(String prescreen, String init, String layers, int trials) {
    String json = """
        {
          "name": "prescreen-test", "seed": 5,
          "dataset": { "source": "digits", "split": { "validation": 0.2, "test": 0.2 }, "preprocess": ["standardize"] },
          "objective": { "metric": "val_accuracy", "direction": "maximize" },
          "space": {
            "blocks": { "repeat": { "min": 1, "max": 2 }, "of": {
              "type": "plain", "width": { "choice": [8, 16] }, "layers": %s,
              "activation": { "choice": ["relu", "tanh"] } } },
            "optimizer": "adam",
            "learningRate": { "float": [1e-3, 1e-2], "log": true },
            "batchSize": 64, "init": %s, "epochs": 2
          },
          "search": { "strategies": ["random", "tpe"], "seeds": [1], "parallel": 2, "reproducible": true,
                      "budget": { "trials": %d }%s }
        }
        """.formatted(layers, init, trials, prescreen);
    return ExperimentReader.parse(json, "prescreen-test.json", Path.of("."));
  }

  static Map<String, String> run(Path dir, ExperimentSpec experiment, int stopAfter) {
    var evaluator = Evaluators.create(experiment);
    RunPlan plan = Plans.of(experiment);
    AtomicReference<Runner> runner = new AtomicReference<>();
    try (RunStore store = RunnerTest.create(dir)) {
      runner.set(Runner.builder(plan, evaluator, store).strategies(Prescreening.strategies(experiment, evaluator))
          .progress(p -> {
            if (stopAfter > 0 && p.done() >= stopAfter) {
              runner.get().requestStop();
            }
          }).build());
      RunSummary first = runner.get().run();
      assertEquals(stopAfter > 0 ? RunState.STOPPED : RunState.FINISHED, first.state());
    }
    if (stopAfter > 0) {
      try (Resume resume = Resume.open(dir)) {
        RunSummary s = resume.runner(plan, evaluator).strategies(Prescreening.strategies(experiment, evaluator))
            .build().run();
        assertEquals(RunState.FINISHED, s.state());
      }
    }
    return withTags(dir);
  }

  /** {@link RunnerTest#snapshot} with each trial's tags. */
  static Map<String, String> withTags(Path dir) {
    Map<String, String> out = new TreeMap<>(RunnerTest.snapshot(dir));
    try (RunReader reader = RunStore.openReader(dir)) {
      for (TrialRecord t : reader.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(), "id",
          true, 0, 1000)).items()) {
        String key = out.keySet().stream().filter(k -> k.endsWith("#" + t.index())
            && k.startsWith(t.studyId() == 1 ? "random" : "tpe")).findFirst().orElseThrow();
        out.put(key, out.get(key) + " | " + new TreeMap<>(t.tags()));
      }
    }
    return out;
  }

  @Test
  void aPrescreenedRunStoppedAndResumedStoresTheTrialsOfTheUninterruptedRun() {
    ExperimentSpec e = experiment(", \"prescreen\": { \"proxy\": \"naswot\", \"sample\": 4 }",
        "{ \"choice\": [\"he\", \"glorot\"] }", "{ \"int\": [1, 2] }", 5);
    Map<String, String> whole = run(tmp.resolve("whole"), e, 0);
    assertEquals(10, whole.size());
    assertTrue(whole.values().stream().allMatch(v -> v.contains("proxy.naswot=") && v.contains("prescreen.sampled=4")
        && !v.contains("proxy.synflow=")), whole.toString()); // by default the ranking proxy alone is computed
    Map<String, String> split = run(tmp.resolve("split"), e, 3);
    assertEquals(whole, split);
  }

  @Test
  void offIsTheRegistryAndASampleOfOneTrainsWhatTheStrategyProposes() {
    ExperimentSpec off = experiment("", "{ \"choice\": [\"he\", \"glorot\"] }", "{ \"int\": [1, 2] }", 4);
    var evaluator = Evaluators.create(off);
    assertTrue(evaluator instanceof TrainingEvaluator);
    assertSame(StrategyProvider.REGISTRY, Prescreening.strategies(off, evaluator));
    ExperimentSpec one = experiment(", \"prescreen\": { \"proxy\": \"synflow\", \"sample\": 1 }",
        "{ \"choice\": [\"he\", \"glorot\"] }", "{ \"int\": [1, 2] }", 4);
    assertTrue(Evaluators.create(one) instanceof PrescreenedEvaluator);
    Map<String, String> plain = RunnerTest.snapshot(runDir(tmp.resolve("off"), off));
    Map<String, String> screened = RunnerTest.snapshot(runDir(tmp.resolve("one"), one));
    assertEquals(8, plain.size());
    assertEquals(plain, screened); // same configurations, statuses and metrics, bit for bit
  }

  @Test
  void untrainableCandidatesEndUntrainableWithTheVerdictsReason() {
    // 12 to 14 tanh layers at gaussian init (scale 0.05, sigma_w^2 = 0.04 at width 16): deep in the ordered phase
    ExperimentSpec e = experiment(", \"prescreen\": { \"proxy\": \"naswot\", \"sample\": 2 }", "\"gaussian\"",
        "{ \"int\": [12, 14] }", 3);
    Map<String, String> trials = RunnerTest.snapshot(runDir(tmp.resolve("deep"), e));
    assertEquals(6, trials.size());
    for (String t : trials.values()) {
      assertTrue(t.contains(" | " + TrialStatus.UNTRAINABLE + " | "), t);
    }
    try (RunReader reader = RunStore.openReader(tmp.resolve("deep"))) {
      for (TrialRecord t : reader.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(), "id",
          true, 0, 100)).items()) {
        assertTrue(t.reason().startsWith("ordered phase"), t.reason());
        assertEquals("2", t.tags().get("prescreen.untrainable"));
      }
    }
    // without the verdict the same candidates train, ranked by the proxy alone
    ExperimentSpec proxyOnly = experiment(", \"prescreen\": { \"proxy\": \"naswot\", \"sample\": 2, \"verdict\": false }",
        "\"gaussian\"", "{ \"int\": [12, 14] }", 3);
    Map<String, String> trained = RunnerTest.snapshot(runDir(tmp.resolve("deep-trained"), proxyOnly));
    assertEquals(6, trained.size());
    for (String t : trained.values()) {
      assertTrue(t.contains(" | " + TrialStatus.COMPLETED + " | "), t);
    }
  }

  /**
   * A NAS-Bench-201 cell space on the digits read as 1x8x8 images: every candidate is a
   * convolutional network (stem with batch norm, one cell, a stride-2 residual reduction, a second
   * cell), and with {@code "scores": "all"} each trained trial carries all four proxies, finite.
   */
  @Test
  void convolutionalCellCandidatesAreScoredWithEveryProxy() {
    String json = """
        {
          "name": "prescreen-cells", "seed": 3,
          "dataset": { "source": "digits", "split": { "validation": 0.2, "test": 0.2 }, "preprocess": ["standardize"] },
          "objective": { "metric": "val_accuracy", "direction": "maximize" },
          "space": {
            "stem": 4,
            "edges": { "repeat": { "min": 6, "max": 6 }, "of": {
              "op": { "choice": ["skip_connect", "conv_1x1", "conv_3x3", "avg_pool_3x3"] } } },
            "cellRepeat": 1, "cellStages": 2,
            "optimizer": "momentum", "learningRate": 0.05, "batchSize": 64, "epochs": 1
          },
          "search": { "strategies": ["random"], "seeds": [1], "parallel": 1, "reproducible": true,
                      "budget": { "trials": 1 }, "prescreen": { "proxy": "synflow", "sample": 3, "scores": "all" } }
        }
        """;
    ExperimentSpec e = ExperimentReader.parse(json, "prescreen-cells.json", Path.of("."));
    Map<String, String> trials = withTags(runDir(tmp.resolve("cells"), e));
    assertEquals(1, trials.size(), trials.toString());
    java.util.regex.Pattern finite = java.util.regex.Pattern.compile("proxy\\.(naswot|synflow|snip|grad_norm)=-?\\d");
    for (String t : trials.values()) {
      assertTrue(t.contains(" | " + TrialStatus.COMPLETED + " | "), t);
      assertEquals(4, finite.matcher(t).results().count(), t);
      assertTrue(t.contains("prescreen.sampled=3"), t);
    }
  }

  static Path runDir(Path dir, ExperimentSpec experiment) {
    run(dir, experiment, 0);
    return dir;
  }
}
