package dev.strata.search.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.fidelity.AshaScheduler;
import dev.strata.search.fidelity.Fidelity;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.strategy.BudgetedStrategy;
import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.study.InMemoryStudyStore;
import dev.strata.search.study.Study;
import dev.strata.search.study.StudyJob;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The ask/tell program of docs/library.md, compiled and run by the build: the text between the
 * markers below must appear in the document's code block, so neither can change alone.
 */
class LibraryExampleTest {

  /** Branin-Hoo: minimum 0.397887 at three points of [-5, 10] x [0, 15]. */
  static double branin(double x, double y) {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double t = y - b * x * x + 5 / Math.PI * x - 6;
    return t * t + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
  }

  static double example() {
    // --8<-- [start:example]
    SearchSpace space = ParameterSpace.of(
        FloatParameter.of("x", -5, 10),
        FloatParameter.of("y", 0, 15));
    Strategy strategy = Strategies.create("tpe", space, Direction.MINIMIZE, 42, Map.of());

    double best = Double.POSITIVE_INFINITY;
    for (int round = 0; round < 40; round++) {
      List<Proposal> batch = strategy.ask(2);          // two trials in flight at once
      for (Proposal p : batch) {
        double x = ((Number) p.configuration().get("x")).doubleValue();
        double y = ((Number) p.configuration().get("y")).doubleValue();
        double value = branin(x, y);                   // your objective: train, simulate, measure
        if (Double.isFinite(value)) {
          strategy.tell(p.index(), Outcome.completed(value));
          best = Math.min(best, value);
        } else {
          strategy.tell(p.index(), Outcome.failed(TrialStatus.DIVERGED, "not finite"));
        }
      }
    }
    System.out.println("best value " + best);
    // --8<-- [end:example]
    return best;
  }

  /** Branin after {@code epochs} of a pretend training: the gap closes as the budget grows. */
  static double trainTo(Configuration c, double epochs) {
    return branin(((Number) c.get("x")).doubleValue(), ((Number) c.get("y")).doubleValue()) + 10 / epochs;
  }

  static InMemoryStudyStore studyExample() {
    // --8<-- [start:study]
    SearchSpace space = ParameterSpace.of(
        FloatParameter.of("x", -5, 10),
        FloatParameter.of("y", 0, 15));
    Strategy tpe = Strategies.create("tpe", space, Direction.MINIMIZE, 7, Map.of());
    Scheduler asha = new AshaScheduler(new BudgetedStrategy(tpe, 30), Direction.MINIMIZE, Fidelity.of(1, 27));

    InMemoryStudyStore store = new InMemoryStudyStore();  // or a run's SQLite store
    Study study = Study.builder(store, store.addStudy("tpe", 7, 30, Map.of()), asha).build();
    while (!study.isDone()) {
      if (!study.hasReady() && study.canAsk(1)) {
        study.ask();                                     // recorded before anything runs
      }
      Optional<StudyJob> next = study.poll();
      if (next.isPresent()) {
        StudyJob job = next.get();                       // a new trial, or a promotion to more epochs
        double value = trainTo(job.configuration(), job.resource());
        study.tell(job, Outcome.completed(value), 0, Study.Trained.NOTHING);  // committed, then told
      }
      study.finishIfDone();                              // trials left paused at a rung end PRUNED
    }
    // --8<-- [end:study]
    return store;
  }

  @Test
  void theStudyExampleRunsAshaToTheEnd() {
    InMemoryStudyStore store = studyExample();
    long studyId = store.studies().getFirst().id();
    var trials = store.studyTrials(studyId);
    assertEquals(30, trials.size(), "the trial budget");
    assertTrue(trials.stream().allMatch(t -> t.record().status().isFinished()));
    assertTrue(trials.stream().anyMatch(t -> t.record().status() == TrialStatus.PRUNED), "ASHA stops some early");
    assertTrue(trials.stream().anyMatch(t -> t.reached() == 27), "and promotes some to the full budget");
    double best = trials.stream().filter(t -> t.record().status() == TrialStatus.COMPLETED)
        .mapToDouble(t -> t.record().value()).min().orElseThrow();
    assertTrue(best < 2.5, "best at 27 epochs " + best);
  }

  @Test
  void theExampleFindsBraninsValley() {
    double best = example();
    // 80 evaluations of TPE with seed 42; random search needs far more to get this close to 0.398.
    assertTrue(best < 2, "best " + best);
  }

  @Test
  void theDocumentShowsTheCompiledExamples() throws IOException {
    String source = Files.readString(Path.of("src/test/java/dev/strata/search/library/LibraryExampleTest.java"));
    String doc = Files.readString(Path.of("../docs/library.md"));
    assertShown(source, doc, "example", 0);
    assertShown(source, doc, "study", 1);
  }

  /** The code between a pair of markers is the body of the document's {@code nth} Java block. */
  private static void assertShown(String source, String doc, String marker, int nth) {
    String start = "// --8<-- [start:" + marker + "]\n";
    String snippet = source.substring(source.indexOf(start) + start.length(),
        source.indexOf("    // --8<-- [end:" + marker + "]"));
    int from = -1;
    for (int i = 0; i <= nth; i++) {
      from = doc.indexOf("```java\n", from + 1);
    }
    String block = doc.substring(from + 8, doc.indexOf("```", from + 8));
    String body = block.substring(block.indexOf("SearchSpace space"));
    assertEquals(snippet.stripTrailing().stripIndent().strip(), body.stripTrailing().stripIndent().strip(),
        "docs/library.md's example must be the compiled one in LibraryExampleTest");
  }
}
