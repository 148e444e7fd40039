package dev.strata.search.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  @Test
  void theExampleFindsBraninsValley() {
    double best = example();
    // 80 evaluations of TPE with seed 42; random search needs far more to get this close to 0.398.
    assertTrue(best < 2, "best " + best);
  }

  @Test
  void theDocumentShowsTheCompiledExample() throws IOException {
    Path self = Path.of("src/test/java/dev/strata/search/library/LibraryExampleTest.java");
    String source = Files.readString(self);
    String start = "// --8<-- [start:example]\n";
    String snippet = source.substring(source.indexOf(start) + start.length(),
        source.indexOf("    // --8<-- [end:example]"));
    String doc = Files.readString(Path.of("../docs/library.md"));
    String block = doc.substring(doc.indexOf("```java\n") + 8, doc.indexOf("```", doc.indexOf("```java\n") + 8));
    String body = block.substring(block.indexOf("SearchSpace space"));
    assertEquals(snippet.stripTrailing().stripIndent().strip(), body.stripTrailing().stripIndent().strip(),
        "docs/library.md's example must be the compiled one in LibraryExampleTest");
  }
}
