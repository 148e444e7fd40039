package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.search.trial.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceReaderTest {

  // ---- helpers ---------------------------------------------------------------------------------

  /** The 1-based line:col of the n-th (0-based) occurrence of {@code needle} in {@code text}. */
  static String position(String text, String needle, int occurrence) {
    int index = -1;
    for (int i = 0; i <= occurrence; i++) {
      index = text.indexOf(needle, index + 1);
      if (index < 0) {
        throw new AssertionError("no occurrence " + occurrence + " of " + needle);
      }
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return line + ":" + (index - lineStart + 1);
  }

  static SpaceException.Problem firstProblem(String json) {
    SpaceException e = assertThrows(SpaceException.class, () -> SpaceReader.parse(json, "space.json"));
    return e.problems().getFirst();
  }

  /** Asserts the first problem's pointer, line:col (of the needle's occurrence) and message parts. */
  static void assertProblem(String json, String pointer, String needle, int occurrence, String... parts) {
    SpaceException.Problem p = firstProblem(json);
    assertEquals(pointer, p.pointer(), p.format());
    assertEquals(position(json, needle, occurrence), p.line() + ":" + p.column(), p.format());
    for (String part : parts) {
      assertTrue(p.message().contains(part), () -> "'" + part + "' not in: " + p.format());
    }
    assertTrue(p.format().startsWith("space.json:" + p.line() + ":" + p.column() + " " + pointer + ": "), p.format());
  }

  // ---- parsing ---------------------------------------------------------------------------------

  @Test
  void parsesTheDesignExample() {
    ParameterSpace space = SpaceReader.parse(SpaceFixtures.DESIGN, "experiment.json");
    List<String> paths = space.dimensions().stream().map(Dimension::path).toList();
    // count + 6 slots × 6 parameters + 5 top-level searched parameters (epochs is a constant)
    assertEquals(1 + 6 * 6 + 5, paths.size());
    assertEquals("blocks/#count", paths.getFirst());
    assertEquals(List.of("blocks/0/type", "blocks/0/width", "blocks/0/layers", "blocks/0/activation",
        "blocks/0/branches", "blocks/0/dropout"), paths.subList(1, 7));
    assertEquals("blocks/5/dropout", paths.get(36));
    assertEquals(List.of("optimizer", "learningRate", "batchSize", "init", "l2"), paths.subList(37, 42));
    Dimension lr = space.dimensions().get(38);
    assertEquals(Dimension.Kind.FLOAT, lr.kind());
    assertTrue(lr.log());
    assertEquals(1e-4, lr.low());
    assertEquals(Dimension.Kind.CATEGORICAL, space.dimensions().get(1).kind());
    assertEquals(List.of(32L, 64L, 128L, 256L), space.dimensions().get(2).choices());

    Configuration c = space.sample(new SplittableRandom(1));
    assertEquals(30L, c.get("epochs"));
    assertInstanceOf(List.class, c.get("blocks"));
    assertInstanceOf(Double.class, c.get("learningRate"));
  }

  @Test
  void bareWrappedAndEmbeddedFormsAreTheSameSpace() throws Exception {
    String bare = new ObjectMapper().readTree(SpaceFixtures.DESIGN).get("space").toString();
    ParameterSpace fromBare = SpaceReader.parse(bare, "bare.json");
    ParameterSpace fromWrapped = SpaceReader.parse(SpaceFixtures.DESIGN, "experiment.json");
    LocatedJson doc = LocatedJson.parse(SpaceFixtures.DESIGN, "experiment.json");
    ParameterSpace fromPointer = SpaceReader.read(doc, JsonPointer.compile("/space"));
    ParameterSpace fromTree = SpaceReader.read(doc.root().get("space"), "experiment.json", JsonPointer.compile("/space"));
    assertEquals(fromBare.dimensions(), fromWrapped.dimensions());
    assertEquals(fromBare.dimensions(), fromPointer.dimensions());
    assertEquals(fromBare.dimensions(), fromTree.dimensions());
    assertEquals(fromBare.defaults(), fromTree.defaults());
  }

  @Test
  void readsFilesAndReportsAMissingOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("s.json");
    Files.writeString(file, "{\"x\": {\"float\": [0, 1]}, \"k\": {\"const\": [1, 2]}}");
    ParameterSpace space = SpaceReader.read(file);
    assertEquals(1, space.dimensions().size());
    assertEquals(List.of(1L, 2L), space.defaults().get("k"));
    SpaceException e = assertThrows(SpaceException.class, () -> SpaceReader.read(dir.resolve("nope.json")));
    assertEquals(dir.resolve("nope.json") + ": file not found; check the path", e.getMessage());
  }

  @Test
  void treeWithoutLocationsReportsSourceAndAbsolutePointer() throws Exception {
    var node = new ObjectMapper().readTree("{\"x\": {\"int\": [3, 1]}}");
    SpaceException e = assertThrows(SpaceException.class,
        () -> SpaceReader.read(node, "exp.json", JsonPointer.compile("/space")));
    assertEquals("/space/x/int", e.pointer());
    assertEquals(0, e.line());
    assertTrue(e.getMessage().startsWith("exp.json /space/x/int: the range [3, 1] is inverted"), e.getMessage());
  }

  @Test
  void embeddedSpaceErrorsCarryDocumentPositions() {
    String json = SpaceFixtures.DESIGN.replace("\"int\": [2, 4]", "\"int\": [4, 2]");
    SpaceException.Problem p = firstProblem(json);
    assertEquals("/space/blocks/of/branches/int", p.pointer());
    assertEquals(position(json, "[4, 2]", 0), p.line() + ":" + p.column());
  }

  // ---- one test per validation error kind ------------------------------------------------------

  @Test
  void unknownKeyWithDidYouMean() {
    String json = """
        {
          "lr": { "float": [0.001, 1], "lgo": true }
        }""";
    assertProblem(json, "/lr/lgo", "\"lgo\"", 0, "unknown key 'lgo'", "did you mean 'log'?");
  }

  @Test
  void misspeltKindWithDidYouMean() {
    String json = """
        {
          "act": { "chioce": ["relu", "tanh"] }
        }""";
    assertProblem(json, "/act/chioce", "\"chioce\"", 0, "did you mean 'choice'?");
  }

  @Test
  void keyOfAnotherKind() {
    String json = """
        {"act": {"choice": ["relu"], "log": true}}""";
    assertProblem(json, "/act/log", "\"log\"", 0, "\"log\" does not apply to a choice parameter");
  }

  @Test
  void invertedRange() {
    String json = """
        {
          "layers": { "int": [5, 1] }
        }""";
    assertProblem(json, "/layers/int", "[5, 1]", 0, "inverted", "write [1, 5]");
  }

  // ---- wrong-typed scalars are rejected, never coerced or truncated ----

  @Test
  void stringForIntegerIsRejected() {
    String json = """
        {"layers": {"int": ["1", 4]}}""";
    assertProblem(json, "/layers/int/0", "\"1\"", 0,
        "int bounds must be integers, got the string \"1\"; write 1 without quotes");
    json = """
        {"blocks": {"repeat": {"min": "1", "max": 3}, "of": {"w": {"int": [1, 2]}}}}""";
    assertProblem(json, "/blocks/repeat/min", "\"1\"", 0,
        "a repeat count must be an integer, got the string \"1\"; write 1 without quotes");
  }

  @Test
  void fractionForIntegerIsRejectedNotTruncated() {
    String json = """
        {"layers": {"int": [1, 4], "default": 2.5}}""";
    assertProblem(json, "/layers/default", "2.5", 0, "the default of an int parameter must be an integer, got 2.5");
    json = """
        {"blocks": {"repeat": {"min": 1, "max": 2.5}, "of": {"w": {"int": [1, 2]}}}}""";
    assertProblem(json, "/blocks/repeat/max", "2.5", 0, "a repeat count must be an integer, got 2.5");
    json = """
        {"layers": {"int": [1, 4.5]}}""";
    assertProblem(json, "/layers/int/1", "4.5", 0, "int bounds must be integers, got 4.5; use \"float\" for real values");
  }

  @Test
  void stringForFloatIsRejected() {
    String json = """
        {"lr": {"float": [1e-4, "0.1"]}}""";
    assertProblem(json, "/lr/float/1", "\"0.1\"", 0,
        "float bounds must be finite numbers, got the string \"0.1\"; write 0.1 without quotes");
    json = """
        {"lr": {"float": [0.1, 0.5], "default": "0.2"}}""";
    assertProblem(json, "/lr/default", "\"0.2\"", 0,
        "the default of a float parameter must be a number, got the string \"0.2\"; write 0.2 without quotes");
  }

  @Test
  void stringForBooleanIsRejected() {
    String json = """
        {"lr": {"float": [1e-4, 0.1], "log": "true"}}""";
    assertProblem(json, "/lr/log", "\"true\"", 0,
        "\"log\" must be true or false, got the string \"true\"; write true without quotes");
    json = """
        {"lr": {"float": [1e-4, 0.1], "log": 1}}""";
    assertProblem(json, "/lr/log", "1}", 0, "\"log\" must be true or false, got 1");
  }

  @Test
  void numberForStringIsRejected() {
    String json = """
        {"x": {"int": [1, 2], "description": 3}}""";
    assertProblem(json, "/x/description", "3}", 0, "\"description\" must be a string, got 3");
    json = """
        {"x": {"choice": 3}}""";
    assertProblem(json, "/x/choice", "3}", 0, "\"choice\" needs a list of values, got 3");
  }

  @Test
  void integersStayFineForFloatRanges() {
    ParameterSpace space = SpaceReader.parse("""
        {"lr": {"float": [0, 1], "default": 1}}""", "space.json");
    assertEquals(1.0, space.defaults().get("lr"));
  }

  @Test
  void emptyRange() {
    String json = """
        {"x": {"float": [0.5, 0.5]}}""";
    assertProblem(json, "/x/float", "[0.5", 0, "empty");
  }

  @Test
  void logScaleWithNonPositiveBound() {
    String json = """
        {
          "lr": { "float": [0, 0.1], "log": true }
        }""";
    assertProblem(json, "/lr/float/0", "0,", 0, "log scale needs a lower bound > 0, got 0");
    String ints = """
        {"n": {"int": [0, 100], "log": true}}""";
    assertProblem(ints, "/n/int/0", "0,", 0, "log scale needs a lower bound >= 1");
  }

  @Test
  void nonPositiveStep() {
    String json = """
        {"x": {"float": [0, 1], "step": 0}}""";
    assertProblem(json, "/x/step", "0}", 0, "positive number");
    String ints = """
        {"n": {"int": [0, 10], "step": -2}}""";
    assertProblem(ints, "/n/step", "-2", 0, "positive integer");
  }

  @Test
  void stepThatDoesNotDivideTheRange() {
    String json = """
        {"x": {"float": [0, 1], "step": 0.3}}""";
    assertProblem(json, "/x/step", "0.3", 0, "does not divide the range", "3.333 steps");
    String ints = """
        {"n": {"int": [0, 10], "step": 3}}""";
    assertProblem(ints, "/n/step", "3}", 0, "does not divide the range 0..10", "divisor of 10");
  }

  @Test
  void logAndStepTogetherRoundALogUniformDrawToTheGrid() {
    ParameterSpace space = SpaceReader.parse("""
        {"x": {"float": [0.1, 1], "log": true, "step": 0.1}, "n": {"int": [16, 256], "log": true, "step": 16}}""",
        "s.json");
    assertEquals(FloatParameter.of("x", 0.1, 1).withLog(true).withStep(0.1), space.nodes().get(0));
    assertEquals(IntParameter.of("n", 16, 256).withLog(true).withStep(16), space.nodes().get(1));
  }

  @Test
  void aNormalPriorIsReadBesideIntAndFloat() {
    ParameterSpace space = SpaceReader.parse("""
        {"x": {"float": [0, 1], "normal": [0.3, 0.1]},
         "lr": {"float": [1e-5, 1e-1], "log": true, "normal": [-7, 1.5]},
         "n": {"int": [0, 100], "step": 5, "normal": [50, 10]}}""", "s.json");
    assertEquals(FloatParameter.of("x", 0, 1).withPrior(new NormalPrior(0.3, 0.1)), space.nodes().get(0));
    assertEquals(FloatParameter.of("lr", 1e-5, 1e-1).withLog(true).withPrior(new NormalPrior(-7, 1.5)),
        space.nodes().get(1));
    assertEquals(IntParameter.of("n", 0, 100).withStep(5).withPrior(new NormalPrior(50, 10)), space.nodes().get(2));
  }

  @Test
  void aBadNormalPriorIsOneLocatedLine() {
    assertProblem("""
        {"x": {"float": [0, 1], "normal": [0.3, -0.1]}}""", "/x/normal/1", "-0.1]", 0, "sigma must be positive");
    assertProblem("""
        {"x": {"float": [0, 1], "normal": [0.3]}}""", "/x/normal", "[0.3]", 0, "needs [mu, sigma]");
    assertProblem("""
        {"x": {"float": [0, 1], "normal": ["a", 1]}}""", "/x/normal/0", "\"a\"", 0, "needs numbers");
    assertProblem("""
        {"x": {"float": [0, 1], "normal": [30, 0.1]}}""", "/x/normal", "[30, 0.1]", 0,
        "holds 0.00 of the normal prior's mass", "move mu into the range");
    assertProblem("""
        {"lr": {"float": [1e-5, 1e-1], "log": true, "normal": [0.001, 0.1]}}""", "/lr/normal", "[0.001", 0,
        "of ln x");
    assertProblem("""
        {"c": {"choice": ["a", "b"], "normal": [0, 1]}}""", "/c/normal", "\"normal\"", 0, "does not apply to a choice");
  }

  @Test
  void defaultOutsideRange() {
    String json = """
        {
          "layers": { "int": [1, 3], "default": 5 }
        }""";
    assertProblem(json, "/layers/default", "5", 0, "default 5 is outside [1, 3]");
    String floats = """
        {"x": {"float": [0, 1], "step": 0.25, "default": 0.3}}""";
    assertProblem(floats, "/x/default", "0.3", 0, "not on the step grid");
  }

  @Test
  void defaultNotAmongChoices() {
    String json = """
        {
          "act": { "choice": ["relu", "tanh"], "default": "reul" }
        }""";
    assertProblem(json, "/act/default", "\"reul\"", 0, "not one of the choices", "did you mean 'relu'?");
  }

  @Test
  void conditionOnUnknownParameter() {
    String json = """
        {
          "type": { "choice": ["plain", "inception"] },
          "branches": { "int": [2, 4], "when": { "tpye": "inception" } }
        }""";
    assertProblem(json, "/branches/when/tpye", "\"tpye\"", 0, "unknown parameter 'tpye'", "did you mean 'type'?");
  }

  @Test
  void conditionOnImpossibleValue() {
    String json = """
        {
          "type": { "choice": ["plain", "inception"] },
          "branches": { "int": [2, 4], "when": { "type": "inceptoin" } }
        }""";
    assertProblem(json, "/branches/when/type", "\"type\": \"inceptoin\"", 0,
        "can never be \"inceptoin\"", "did you mean 'inception'?");
  }

  @Test
  void conditionOnFloatOrRepeatGroup() {
    String json = """
        {"lr": {"float": [0, 1]}, "x": {"int": [1, 2], "when": {"lr": 0.5}}}""";
    assertProblem(json, "/x/when/lr", "\"lr\": 0.5", 0, "is a float");
  }

  @Test
  void cyclicConditions() {
    String json = """
        {
          "a": { "choice": [1, 2], "when": { "b": 1 } },
          "b": { "choice": [1, 2], "when": { "c": 1 } },
          "c": { "choice": [1, 2], "when": { "a": 1 } }
        }""";
    SpaceException e = assertThrows(SpaceException.class, () -> SpaceReader.parse(json, "space.json"));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("/a/when/b", e.pointer());
    assertEquals(position(json, "\"b\": 1", 0), e.line() + ":" + e.column());
    assertTrue(e.detail().contains("cyclic condition a → b → c → a"), e.detail());

    String self = """
        {"a": {"choice": [1, 2], "when": {"a": 1}}}""";
    assertProblem(self, "/a/when/a", "\"a\": 1", 0, "cyclic condition a → a");
  }

  @Test
  void duplicateName() {
    String json = """
        {
          "lr": { "float": [0, 1] },
          "lr": { "float": [0, 2] }
        }""";
    SpaceException.Problem p = firstProblem(json);
    assertEquals("/lr", p.pointer(), p.format());
    assertEquals(position(json, "\"lr\"", 1), p.line() + ":" + p.column(), p.format());
    assertTrue(p.message().startsWith("duplicate key 'lr'"), p.format());
  }

  @Test
  void duplicateNameInsideAGroup() {
    String json = """
        {"blocks": {"repeat": {"min": 1, "max": 2}, "of": {
          "w": {"int": [1, 2]},
          "w": {"int": [1, 3]}}}}""";
    SpaceException.Problem p = firstProblem(json);
    assertEquals("/blocks/of/w", p.pointer(), p.format());
    assertEquals(position(json, "\"w\"", 1), p.line() + ":" + p.column(), p.format());
  }

  @Test
  void wrongTypes() {
    String json = """
        {
          "n": { "int": ["a", 3] }
        }""";
    assertProblem(json, "/n/int/0", "\"a\"", 0, "int bounds must be integers, got the string \"a\"");
    String flag = """
        {"x": {"float": [0.1, 1], "log": "yes"}}""";
    assertProblem(flag, "/x/log", "\"yes\"", 0, "\"log\" must be true or false");
    String realInt = """
        {"n": {"int": [1.5, 3]}}""";
    assertProblem(realInt, "/n/int/0", "1.5", 0, "use \"float\" for real values");
    String notList = """
        {"n": {"float": 3}}""";
    assertProblem(notList, "/n/float", "3", 0, "needs [low, high]");
  }

  @Test
  void repeatMinGreaterThanMax() {
    String json = """
        {
          "blocks": { "repeat": { "min": 5, "max": 3 }, "of": { "w": { "int": [1, 2] } } }
        }""";
    assertProblem(json, "/blocks/repeat/min", "5", 0, "min 5 is greater than max 3");
  }

  @Test
  void repeatNegativeMinAndMissingOf() {
    String json = """
        {"blocks": {"repeat": {"min": -1, "max": 3}, "of": {"w": {"int": [1, 2]}}}}""";
    assertProblem(json, "/blocks/repeat/min", "-1", 0, "negative");
    String noOf = """
        {"blocks": {"repeat": {"min": 1, "max": 3}}}""";
    assertProblem(noOf, "/blocks", "{\"repeat\"", 0, "needs \"of\"");
    String badKey = """
        {"blocks": {"repeat": {"min": 1, "maks": 3}, "of": {"w": 1}}}""";
    assertProblem(badKey, "/blocks/repeat/maks", "\"maks\"", 0, "did you mean 'max'?");
  }

  @Test
  void emptyChoiceList() {
    String json = """
        {
          "act": { "choice": [] }
        }""";
    assertProblem(json, "/act/choice", "[]", 0, "choice list is empty");
  }

  @Test
  void duplicateAndNullChoices() {
    assertProblem("{\"a\": {\"choice\": [1, 2, 1]}}", "/a/choice/2", "1]", 0, "listed twice");
    assertProblem("{\"a\": {\"choice\": [\"x\", null]}}", "/a/choice/1", "null", 0, "null is not allowed");
  }

  @Test
  void bareListIsAmbiguous() {
    assertProblem("{\"pre\": [\"standardize\"]}", "/pre", "[", 0, "ambiguous", "\"const\"");
  }

  @Test
  void badParameterName() {
    assertProblem("{\"a/b\": 1}", "/a~1b", "\"a/b\"", 0, "contains '/'");
  }

  @Test
  void syntaxErrorHasLineAndColumn() {
    String json = """
        {
          "a": { "int": [1, 2] },
          "b": { "int": [1 2] }
        }""";
    SpaceException.Problem p = firstProblem(json);
    assertEquals(3, p.line(), p.format());
    assertTrue(p.message().startsWith("invalid JSON: "), p.format());
    assertTrue(p.pointer().startsWith("/b/int"), p.format());
  }

  @Test
  void collectsEveryProblemInDocumentOrder() {
    String json = """
        {
          "a": { "int": [3, 1] },
          "b": { "choice": [] },
          "c": { "float": [0, 1], "lgo": true }
        }""";
    SpaceException e = assertThrows(SpaceException.class, () -> SpaceReader.parse(json, "space.json"));
    assertEquals(List.of("/a/int", "/b/choice", "/c/lgo"),
        e.problems().stream().map(SpaceException.Problem::pointer).toList());
    assertEquals(3, e.getMessage().lines().count());
    assertEquals("/a/int", e.pointer());
  }

  // ---- scoping ---------------------------------------------------------------------------------

  @Test
  void conditionsResolveSiblingsFirstThenOuterNames() {
    String json = """
        {
          "mode": { "choice": ["a", "b"] },
          "blocks": { "repeat": { "min": 1, "max": 2 }, "of": {
            "mode": { "choice": ["x", "y"] },
            "p": { "int": [1, 2], "when": { "mode": "x" } },
            "q": { "int": [1, 2], "when": { "optimizer": "adam" } } } },
          "optimizer": { "choice": ["sgd", "adam"] }
        }""";
    ParameterSpace space = SpaceReader.parse(json, "scope.json");
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      Configuration c = space.sample(random);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> blocks = (List<Map<String, Object>>) c.get("blocks");
      for (Map<String, Object> block : blocks) {
        assertEquals("x".equals(block.get("mode")), block.containsKey("p"), c.toString());
        assertEquals("adam".equals(c.get("optimizer")), block.containsKey("q"), c.toString());
      }
    }
    // a sibling of the group name "mode" shadows the outer one, so "a" is not a possible value
    String shadowed = json.replace("\"mode\": \"x\"", "\"mode\": \"a\"");
    SpaceException e = assertThrows(SpaceException.class, () -> SpaceReader.parse(shadowed, "scope.json"));
    assertEquals("/blocks/of/p/when/mode", e.pointer());
  }

  @Test
  void innerNamesAreNotVisibleOutside() {
    String json = """
        {
          "blocks": { "repeat": 2, "of": { "type": { "choice": ["a", "b"] } } },
          "x": { "int": [1, 2], "when": { "type": "a" } }
        }""";
    SpaceException e = assertThrows(SpaceException.class, () -> SpaceReader.parse(json, "s.json"));
    assertEquals("/x/when/type", e.pointer());
    assertTrue(e.detail().contains("unknown parameter 'type'"), e.detail());
  }

  @Test
  void descriptionsAndConstDefaultsAreAccepted() {
    ParameterSpace space = SpaceReader.parse("""
        {"x": {"float": [0, 1], "description": "a coordinate"},
         "k": {"const": "adam", "default": "adam"},
         "flag": true, "nothing": null}""", "s.json");
    Configuration d = space.defaults();
    assertEquals(true, d.get("flag"));
    assertTrue(d.values().containsKey("nothing"));
    assertFalse(space.dimensions().isEmpty());
  }
}
