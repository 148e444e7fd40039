package dev.strata.experiments.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.space.SpaceReader;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableEvaluatorTest {

  @TempDir Path dir;

  @Test
  void looksRowsUpByTheParameterColumns() throws Exception {
    Path csv = dir.resolve("t.csv");
    Files.writeString(csv, "op,width,acc,params\nconv,16,0.8,100\nconv,32,0.85,200\npool,16,0.7,50\n");
    var space = SpaceReader.parse("{\"op\": {\"choice\": [\"conv\", \"pool\"]}, \"width\": {\"choice\": [16, 32]}}", "s");
    TableEvaluator t = TableEvaluator.of(new ObjectiveSource.Table(csv, "acc"), space, Direction.MAXIMIZE);
    assertEquals(3, t.size());
    var r = t.evaluate(Configuration.of(Map.of("op", "conv", "width", 32)), FakeContext.of(dir));
    assertEquals(TrialStatus.COMPLETED, r.status());
    assertEquals(0.85, r.metrics().get("acc"));
    assertEquals(200.0, r.metrics().get("params"));
    var missing = t.evaluate(Configuration.of(Map.of("op", "pool", "width", 32)), FakeContext.of(dir));
    assertEquals(TrialStatus.REJECTED, missing.status());
  }
}
