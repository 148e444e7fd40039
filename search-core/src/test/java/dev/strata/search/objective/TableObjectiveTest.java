package dev.strata.search.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.objective.TableObjective.TableException;
import dev.strata.search.space.ChoiceParameter;
import dev.strata.search.space.Dimension;
import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableObjectiveTest {

  @TempDir Path dir;

  /** 3 optimizers × 2 batch sizes × 2 dropouts, with a test accuracy and a parameter count. */
  private Path smallTable() throws IOException {
    StringBuilder csv = new StringBuilder("optimizer,batch,dropout,acc,params\n");
    String[] optimizers = {"sgd", "adam", "rmsprop"};
    long[] batches = {64, 32};
    double[] dropouts = {0.5, 0.0};
    int n = 0;
    for (String o : optimizers) {
      for (long b : batches) {
        for (double d : dropouts) {
          double acc = 0.80 + 0.01 * n++;
          csv.append(o).append(',').append(b).append(',').append(d).append(',')
              .append(String.format(java.util.Locale.ROOT, "%.2f", acc)).append(',')
              .append(1000 + n * 7).append('\n');
        }
      }
    }
    Path file = dir.resolve("small.csv");
    Files.writeString(file, csv);
    return file;
  }

  @Test
  void infersACategoricalSpaceAndLooksRowsUp() throws IOException {
    TableObjective t = TableObjective.load(smallTable(), "acc", Direction.MAXIMIZE, null);
    assertEquals("small", t.name());
    assertEquals(List.of("optimizer", "batch", "dropout"), t.parameterColumns());
    assertEquals(List.of("acc", "params"), t.metricColumns());
    assertEquals(12, t.size());
    List<Dimension> dims = t.space().dimensions();
    assertEquals(List.of("adam", "rmsprop", "sgd"), dims.get(0).choices());
    assertEquals(List.of(32L, 64L), dims.get(1).choices());
    assertEquals(List.of(0.0, 0.5), dims.get(2).choices());
    Configuration c = Configuration.of(Map.of("optimizer", "adam", "batch", 32, "dropout", 0.5));
    assertEquals(0.86, t.evaluate(c), 1e-12);
    assertEquals(Map.of("acc", 0.86, "params", 1049.0), t.metrics(c));
    assertEquals(0.91, t.optimum().orElseThrow(), 1e-12);
    Configuration best = t.best().orElseThrow();
    assertEquals(Configuration.of(Map.of("optimizer", "rmsprop", "batch", 32L, "dropout", 0.0)), best);
    assertEquals(0.91, t.evaluate(best), 1e-12);
    // Every sample of the inferred space has a row.
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      assertTrue(t.contains(t.space().sample(random)));
    }
  }

  @Test
  void minimizingPicksTheLowestRowAndNamedMetricsAreHonoured() throws IOException {
    TableObjective t = TableObjective.load(smallTable(), "acc", Direction.MINIMIZE, null, List.of("params"));
    assertEquals(0.80, t.optimum().orElseThrow(), 1e-12);
    assertEquals(List.of("optimizer", "batch", "dropout"), t.parameterColumns());
  }

  @Test
  void aConfigurationWithoutARowIsNamed() throws IOException {
    TableObjective t = TableObjective.load(smallTable(), "acc", Direction.MAXIMIZE, null);
    Configuration c = Configuration.of(Map.of("optimizer", "adagrad", "batch", 32, "dropout", 0.5));
    var e = assertThrows(IllegalArgumentException.class, () -> t.evaluate(c));
    assertTrue(e.getMessage().startsWith(
        "no row for configuration {\"batch\":32,\"dropout\":0.5,\"optimizer\":\"adagrad\"} in "),
        e.getMessage());
    assertFalse(t.contains(c));
  }

  @Test
  void aMissingColumnIsOneClearLine() throws IOException {
    Path file = dir.resolve("bench.csv");
    Files.writeString(file, "layer0,layer1,test_acc_seed0,mean_test_acc,std\na,b,1,2,3\n");
    var e = assertThrows(TableException.class,
        () -> TableObjective.load(file, "acc", Direction.MAXIMIZE, null));
    assertEquals(file + ": no column 'acc' (did you mean 'mean_test_acc'?); columns: layer0, layer1,"
        + " test_acc_seed0, mean_test_acc, std", e.getMessage());
    var typo = assertThrows(TableException.class,
        () -> TableObjective.load(file, "mean_tset_acc", Direction.MAXIMIZE, null));
    assertTrue(typo.getMessage().contains("(did you mean 'mean_test_acc'?)"), typo.getMessage());
    var none = assertThrows(TableException.class,
        () -> TableObjective.load(file, "zzzzzz", Direction.MAXIMIZE, null));
    assertTrue(none.getMessage().startsWith(file + ": no column 'zzzzzz'; columns: "), none.getMessage());
  }

  @Test
  void malformedTablesSayFileAndLine() throws IOException {
    Path ragged = dir.resolve("ragged.csv");
    Files.writeString(ragged, "a,acc\n1,0.5\n2\n");
    assertEquals(ragged + ":3: expected 2 fields, got 1", assertThrows(TableException.class,
        () -> TableObjective.load(ragged, "acc", Direction.MAXIMIZE, null)).getMessage());
    Path text = dir.resolve("text.csv");
    Files.writeString(text, "a,acc\n1,0.5\n2,high\n");
    assertEquals(text + ":3: column 'acc': 'high' is not a number", assertThrows(TableException.class,
        () -> TableObjective.load(text, "acc", Direction.MAXIMIZE, null)).getMessage());
    Path dup = dir.resolve("dup.csv");
    Files.writeString(dup, "a,b,acc\n1,x,0.5\n1,x,0.6\n");
    assertEquals(dup + ":3: same parameters as line 2 (a=1, b=x); every configuration needs one row",
        assertThrows(TableException.class,
            () -> TableObjective.load(dup, "acc", Direction.MAXIMIZE, null, List.of())).getMessage());
    Path missing = dir.resolve("missing.csv");
    assertTrue(assertThrows(TableException.class,
        () -> TableObjective.load(missing, "acc", Direction.MAXIMIZE, null)).getMessage()
        .startsWith(missing + ": cannot read the table (NoSuchFileException"));
  }

  @Test
  void quotedFieldsAndCrlf() throws IOException {
    Path file = dir.resolve("quoted.csv");
    Files.writeString(file, "\"name, with comma\",acc\r\n\"a \"\"b\"\"\",0.25\r\nc,0.75\r\n");
    TableObjective t = TableObjective.load(file, "acc", Direction.MAXIMIZE, null);
    assertEquals(0.25, t.evaluate(Configuration.of(Map.of("name, with comma", "a \"b\""))));
  }

  @Test
  void aGivenSpaceDecidesTheParametersAndNumbersMatchByValue() throws IOException {
    var space = ParameterSpace.of(ChoiceParameter.of("optimizer", "sgd", "adam", "rmsprop"),
        ChoiceParameter.of("batch", 32, 64), ChoiceParameter.of("dropout", 0.0, 0.5));
    TableObjective t = TableObjective.load(smallTable(), "acc", Direction.MAXIMIZE, space);
    assertEquals(space, t.space());
    assertEquals(List.of("acc", "params"), t.metricColumns());
    assertEquals(0.86, t.evaluate(Configuration.of(Map.of("optimizer", "adam", "batch", 32.0,
        "dropout", 0.5))), 1e-12);
    var wrong = ParameterSpace.of(ChoiceParameter.of("optimiser", "sgd"), FloatParameter.of("lr", 0, 1));
    var e = assertThrows(TableException.class,
        () -> TableObjective.load(smallTable(), "acc", Direction.MAXIMIZE, wrong));
    assertTrue(e.getMessage().contains(
        ": no column 'optimiser' for parameter 'optimiser' of the space (did you mean 'optimizer'?)"),
        e.getMessage());
  }

  @Test
  void withASpaceTextColumnsAreNotMetrics() throws IOException {
    Path file = dir.resolve("arch.csv");
    Files.writeString(file, "op,arch,acc,params\nconv,|conv~0|,0.8,100\npool,|pool~0|,0.7,50\n");
    var space = ParameterSpace.of(ChoiceParameter.of("op", "conv", "pool"));
    TableObjective t = TableObjective.load(file, "acc", Direction.MAXIMIZE, space);
    assertEquals(List.of("acc", "params"), t.metricColumns());
    assertEquals(Map.of("acc", 0.7, "params", 50.0), t.metrics(Configuration.of(Map.of("op", "pool"))));
    assertThrows(TableException.class, () -> TableObjective.load(file, "arch", Direction.MAXIMIZE, space));
  }

  /** The real NAS-Bench-Macro table, beside the project; skipped when absent. */
  @Test
  void nasBenchMacro() {
    Path file = Benchmarks.find("nas-bench-macro/nas-bench-macro-cifar10.csv");
    Assumptions.assumeTrue(file != null,
        "NAS-Bench-Macro table not found: looked for shared/benchmarks/nas-bench-macro/"
            + "nas-bench-macro-cifar10.csv above " + Path.of("").toAbsolutePath()
            + " (or set -Dstrata.benchmarks=DIR)");
    TableObjective t = TableObjective.load(file, "mean_test_acc", Direction.MAXIMIZE, null);
    assertEquals(6561, t.size());
    assertEquals(List.of("layer0", "layer1", "layer2", "layer3", "layer4", "layer5", "layer6",
        "layer7"), t.parameterColumns());
    assertEquals(List.of("test_acc_seed0", "test_acc_seed1", "test_acc_seed2", "mean_test_acc", "std",
        "params", "flops"), t.metricColumns());
    for (Dimension d : t.space().dimensions()) {
      assertEquals(List.of("identity", "mb3_k3", "mb6_k5"), d.choices());
    }
    assertEquals(93.13, t.optimum().orElseThrow(), 0.005);
    assertEquals(t.optimum().orElseThrow(), t.evaluate(t.best().orElseThrow()));
    Configuration allIdentity = t.space().decode(new double[8]);
    assertEquals(45.3633, t.evaluate(allIdentity), 1e-9);
    assertEquals(387882.0, t.metrics(allIdentity).get("params"));
    Set<Configuration> seen = new HashSet<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      Configuration c = t.space().sample(random);
      seen.add(c);
      double v = t.evaluate(c);
      assertTrue(v >= 45.36 - 0.01 && v <= 93.13 + 0.01, c + " -> " + v);
    }
    assertTrue(seen.size() > 190);
    // Naming the metric columns explicitly gives the same split.
    TableObjective named = TableObjective.load(file, "mean_test_acc", Direction.MAXIMIZE, null,
        List.of("test_acc_seed0", "test_acc_seed1", "test_acc_seed2", "std", "params", "flops"));
    assertEquals(t.parameterColumns(), named.parameterColumns());
  }
}
