package dev.strata.experiments.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentReaderTest {

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
  }

  @TempDir Path dir;

  private static final Path EXAMPLES = Path.of("..", "examples");

  @Test
  void everyExampleReads() {
    for (String f : List.of("digits-blocks.json", "digits-asha.json", "hartmann6.json", "external-command/experiment.json")) {
      ExperimentSpec spec = ExperimentReader.read(EXAMPLES.resolve(f));
      assertTrue(spec.space().dimensions().size() > 0, f);
    }
  }

  @Test
  void theTableExampleReadsWhenTheBenchmarkIsBesideTheRepository() {
    Path table = Path.of("..", "..", "shared", "benchmarks", "nas-bench-macro", "nas-bench-macro-cifar10.csv");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(table), "NAS-Bench-Macro table not present: " + table);
    ExperimentSpec spec = ExperimentReader.read(EXAMPLES.resolve("nas-bench-macro.json"));
    ObjectiveSource.Table t = assertInstanceOf(ObjectiveSource.Table.class, spec.objective().source());
    assertTrue(t.file().isAbsolute() || t.file().normalize().endsWith(table.normalize().getFileName()));
    assertEquals(Direction.MAXIMIZE, spec.objective().direction());
  }

  @Test
  void defaultsAndTheDigitsExample() {
    ExperimentSpec spec = ExperimentReader.read(EXAMPLES.resolve("digits-blocks.json"));
    assertEquals("digits-blocks", spec.name());
    assertEquals(42, spec.seed());
    DataSpec data = assertInstanceOf(ObjectiveSource.Training.class, spec.objective().source()).data();
    assertEquals("digits", data.source());
    assertEquals(List.of("standardize"), data.preprocess());
    assertEquals(Direction.MAXIMIZE, spec.objective().direction());
    assertEquals(List.of("evolution", "random", "bayesian"),
        spec.search().strategies().stream().map(StrategySpec::name).toList());
    assertEquals(Duration.ofHours(8), spec.search().budget().time());
    assertEquals(List.of(1L, 2L, 3L), spec.search().seeds());
    assertNull(spec.search().scheduler());
  }

  @Test
  void relativePathsResolveAgainstTheExperimentFileAndAreStoredAbsolute() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("exp"));
    Files.writeString(sub.resolve("data.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n1,1,x\n2,2,y\n");
    Files.writeString(sub.resolve("space.json"), "{\"width\": {\"choice\": [8, 16]}}");
    Files.writeString(sub.resolve("test.csv"), "a,b,label\n1,2,x\n3,4,y\n");
    Files.writeString(sub.resolve("e.json"), """
        {"dataset": {"source": "csv:data.csv", "label": "label", "split": {"test": "csv:test.csv"}},
         "space": "space.json",
         "search": {"strategies": ["random"], "budget": {"trials": 2}}}
        """);
    ExperimentSpec spec = ExperimentReader.read(sub.resolve("e.json"));
    assertEquals("e", spec.name());
    DataSpec data = ((ObjectiveSource.Training) spec.objective().source()).data();
    assertEquals("csv:" + sub.resolve("data.csv").toAbsolutePath().normalize(), data.source());
    assertTrue(spec.json().contains(sub.resolve("data.csv").toAbsolutePath().normalize().toString()));
    assertTrue(spec.json().contains("\"width\""), "the space is inlined: " + spec.json());
    // the stored copy reads back from anywhere
    ExperimentSpec again = ExperimentReader.parse(spec.json(), "stored.json", Path.of("/"));
    assertEquals(spec.space().dimensions().size(), again.space().dimensions().size());
    assertEquals("csv:" + sub.resolve("test.csv").toAbsolutePath().normalize(),
        ((ObjectiveSource.Training) again.objective().source()).data().testSource(),
        "the official test file too (export and resume read the stored copy)");
  }

  @Test
  void nniSpaceFilesAreDetected() throws Exception {
    Files.writeString(dir.resolve("search_space.json"), """
        {"lr": {"_type": "loguniform", "_value": [0.0001, 0.1]},
         "batch": {"_type": "choice", "_value": [16, 32]}}
        """);
    Files.writeString(dir.resolve("e.json"), """
        {"objective": {"command": ["python3", "t.py"], "metric": "accuracy"},
         "space": "search_space.json",
         "search": {"strategies": ["random"], "budget": {"trials": 2}}}
        """);
    ExperimentSpec spec = ExperimentReader.read(dir.resolve("e.json"));
    assertEquals(2, spec.space().dimensions().size());
    assertEquals(Direction.MAXIMIZE, spec.objective().direction());
  }

  @Test
  void allMistakesOfAFileAreReportedEachOnOneLine() {
    ExperimentException e = assertThrows(ExperimentException.class, () -> ExperimentReader.parse("""
        {"objective": {"function": "branin"},
         "search": {"strategies": ["randon"], "budget": {"trials": 0}, "parralel": 2}}
        """, "e.json", dir));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertEquals(3, e.getMessage().lines().count());
    assertTrue(e.getMessage().contains("e.json:2:"), e.getMessage());
    assertTrue(e.getMessage().contains("/search/parralel: unknown key 'parralel' (did you mean 'parallel'?)"),
        e.getMessage());
  }

  @Test
  void schedulerAndStrategyOptions() {
    ExperimentSpec spec = ExperimentReader.parse("""
        {"objective": {"function": "hartmann6"},
         "search": {"strategies": [{"name": "evolution", "population": 12}],
                    "budget": {"trials": 20, "maxEpochs": 9},
                    "scheduler": {"type": "hyperband", "eta": 3}}}
        """, "e.json", dir);
    assertEquals(12L, spec.search().strategies().getFirst().options().get("population"));
    assertEquals("hyperband", spec.search().scheduler().type());
    assertEquals(Direction.MINIMIZE, spec.objective().direction());
  }

  @Test
  void prescreenIsOffByDefaultAndReadWithItsDefaultSample() {
    String digits = "{\"dataset\": \"digits\", \"space\": {\"width\": {\"choice\": [8, 16]}, \"epochs\": 1},";
    ExperimentSpec off = ExperimentReader.parse(digits + """
        "search": {"strategies": ["random"], "budget": {"trials": 5}}}""", "e.json", dir);
    assertNull(off.search().prescreen());
    ExperimentSpec on = ExperimentReader.parse(digits + """
        "search": {"strategies": ["random"], "budget": {"trials": 5}, "prescreen": {"proxy": "synflow"}}}""", "e.json",
        dir);
    assertEquals(new PrescreenSpec("synflow", PrescreenSpec.DEFAULT_SAMPLE, true), on.search().prescreen());
    ExperimentSpec proxyOnly = ExperimentReader.parse(digits + """
        "search": {"strategies": ["random"], "budget": {"trials": 5},
                   "prescreen": {"proxy": "snip", "sample": 3, "verdict": false}}}""", "e.json", dir);
    assertEquals(new PrescreenSpec("snip", 3, false), proxyOnly.search().prescreen());
    ExperimentSpec all = ExperimentReader.parse(digits + """
        "search": {"strategies": ["random"], "budget": {"trials": 5}, "prescreen": {"proxy": "snip", "scores": "all"}}}""",
        "e.json", dir);
    assertEquals(new PrescreenSpec("snip", PrescreenSpec.DEFAULT_SAMPLE, true, true), all.search().prescreen());
    ExperimentSpec cheap = ExperimentReader.parse(digits + """
        "search": {"strategies": ["random"], "budget": {"trials": 5}, "prescreen": {"proxy": "synflow", "shortlist": 3}}}""",
        "e.json", dir);
    assertEquals(new PrescreenSpec("synflow", PrescreenSpec.DEFAULT_SAMPLE, true, false, 3), cheap.search().prescreen());
  }

  @Test
  void prescreenMistakesAreLocated() {
    assertEquals("unknown proxy 'naswott' (did you mean 'naswot'?); use one of naswot, synflow, snip, grad_norm",
        prescreenProblem("{\"proxy\": \"naswott\", \"sample\": 4}", "/search/prescreen/proxy").message());
    prescreenProblem("{\"proxy\": \"naswot\", \"sample\": 0}", "/search/prescreen/sample");
    prescreenProblem("{\"sample\": 3}", "/search/prescreen");
    prescreenProblem("{\"proxy\": \"naswot\", \"verdict\": \"no\"}", "/search/prescreen/verdict");
    prescreenProblem("{\"proxy\": \"naswot\", \"scores\": \"every\"}", "/search/prescreen/scores");
    assertTrue(prescreenProblem("{\"proxy\": \"naswot\", \"sample\": 4, \"shortlist\": 5}", "/search/prescreen/shortlist")
        .message().contains("at most the sample (4)"));
    var p = onlyProblem(BRANIN, """
        {"strategies": ["random"], "budget": {"trials": 5}, "prescreen": {"proxy": "naswot"}}""", "/search/prescreen");
    assertTrue(p.message().contains("needs an objective that trains networks"), p.message());
  }

  /** The single problem of a digits search whose prescreen member is {@code prescreen}. */
  private dev.strata.search.space.SpaceException.Problem prescreenProblem(String prescreen, String pointer) {
    ExperimentException e = assertThrows(ExperimentException.class, () -> ExperimentReader.parse(
        "{\"dataset\": \"digits\", \"space\": {\"width\": {\"choice\": [8, 16]}, \"epochs\": 1},\n"
        + " \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}, \"prescreen\": " + prescreen + "}}",
        "e.json", dir));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals(pointer, e.problems().getFirst().pointer(), e.getMessage());
    return e.problems().getFirst();
  }

  // ---- wrong-typed scalars are rejected, never coerced or truncated ----

  /** The single problem of an experiment whose search section is {@code search}; asserts its pointer. */
  private dev.strata.search.space.SpaceException.Problem onlyProblem(String objective, String search, String pointer) {
    ExperimentException e = assertThrows(ExperimentException.class, () -> ExperimentReader.parse(
        "{\"objective\": " + objective + ",\n \"search\": " + search + "}", "e.json", dir));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().startsWith("e.json:"), e.getMessage());
    var p = e.problems().getFirst();
    assertEquals(pointer, p.pointer(), e.getMessage());
    return p;
  }

  private static final String BRANIN = "{\"function\": \"branin\"}";

  @Test
  void stringForIntegerIsRejected() {
    var p = onlyProblem(BRANIN, """
        {"strategies": ["random"], "budget": {"trials": "50"}}""", "/search/budget/trials");
    assertEquals("expected a whole number, got the string \"50\"; write 50 without quotes", p.message());
    p = onlyProblem(BRANIN, """
        {"strategies": ["random"], "budget": {"trials": 5}, "parallel": "two"}""", "/search/parallel");
    assertTrue(p.message().startsWith("expected a whole number, got the string \"two\"; use the number of trials"),
        p.message());
  }

  @Test
  void fractionForIntegerIsRejectedNotTruncated() {
    var p = onlyProblem(BRANIN, """
        {"strategies": ["random"], "budget": {"trials": 50.5}}""", "/search/budget/trials");
    assertTrue(p.message().startsWith("expected a whole number, got the number 50.5; "), p.message());
    p = onlyProblem(BRANIN, """
        {"strategies": ["random"], "budget": {"trials": 5}, "seeds": [1, 2.5]}""", "/search/seeds/1");
    assertTrue(p.message().contains("got the number 2.5"), p.message());
  }

  @Test
  void stringForNumberIsRejected() {
    var p = onlyProblem(BRANIN, """
        {"strategies": ["random"], "budget": {"minutes": "30"}}""", "/search/budget/minutes");
    assertEquals("expected a number, got the string \"30\"; write 30 without quotes", p.message());
  }

  @Test
  void stringForBooleanIsRejected() {
    var p = onlyProblem(BRANIN, """
        {"strategies": ["random"], "budget": {"trials": 5}, "reproducible": "true"}""", "/search/reproducible");
    assertEquals("expected true or false, got the string \"true\"; write true without quotes", p.message());
  }

  @Test
  void numberForNameIsRejected() {
    var p = onlyProblem("{\"function\": \"branin\", \"direction\": 1}", """
        {"strategies": ["random"], "budget": {"trials": 5}}""", "/objective/direction");
    assertEquals("expected a string, got the number 1; use \"minimize\" or \"maximize\"", p.message());
    p = onlyProblem("{\"function\": 6}", """
        {"strategies": ["random"], "budget": {"trials": 5}}""", "/objective/function");
    assertTrue(p.message().startsWith("expected a string, got the number 6; "), p.message());
  }

  @Test
  void oneDefaultPreprocessingStoredExplicitlyAndOldRunsReadAsTheyRan() throws Exception {
    String text = """
        {"name": "p", "dataset": "blobs", "space": {"width": 4, "depth": 1},
         "search": {"strategies": ["random"], "budget": {"trials": 1}}}""";
    ExperimentSpec fresh = ExperimentReader.parse(text, "p.json", Path.of("."));
    DataSpec data = ((ObjectiveSource.Training) fresh.objective().source()).data();
    assertEquals(DataSpec.DEFAULT_PREPROCESS, data.preprocess(), "the same default as strata train");
    assertEquals("standardize", readTree(fresh.json()).at("/dataset/preprocess/0").asText(), fresh.json());
    ExperimentSpec stored = ExperimentReader.parseStored(fresh.json(), "p.json", Path.of("."));
    assertEquals(List.of("standardize"), ((ObjectiveSource.Training) stored.objective().source()).data().preprocess());
    ExperimentSpec old = ExperimentReader.parseStored(text, "p.json", Path.of("."));
    assertEquals(List.of(), ((ObjectiveSource.Training) old.objective().source()).data().preprocess(),
        "a run stored without the key ran without preprocessing");
    String none = text.replace("\"dataset\": \"blobs\"", "\"dataset\": {\"source\": \"blobs\", \"preprocess\": []}");
    assertEquals(List.of(), ((ObjectiveSource.Training) ExperimentReader.parse(none, "p.json", Path.of("."))
        .objective().source()).data().preprocess());
  }
}
