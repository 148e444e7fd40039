package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NniSpaceReaderTest {

  /** An NNI choice of optimizers whose options carry parameters, one of them a nested choice itself. */
  private static final String NESTED_OPTIMIZER = """
      "optimizer": { "_type": "choice", "_value": [
        { "_name": "sgd", "lr": { "_type": "loguniform", "_value": [0.001, 0.1] } },
        { "_name": "adam", "lr": { "_type": "loguniform", "_value": [0.0001, 0.01] },
          "schedule": { "_type": "choice", "_value": [
            { "_name": "cosine", "t0": { "_type": "randint", "_value": [1, 10] } },
            { "_name": "constant" } ] } },
        { "_name": "rmsprop" } ] }""";

  private static SpaceNode single(String type, String value) {
    ParameterSpace space = NniSpaceReader.parse(
        "{\"p\": {\"_type\": \"" + type + "\", \"_value\": " + value + "}}", "nni.json");
    assertEquals(1, space.nodes().size());
    return space.nodes().getFirst();
  }

  @Test
  void choiceOfScalars() {
    assertEquals(ChoiceParameter.of("p", 16L, 32L, "x", true), single("choice", "[16, 32, \"x\", true]"));
  }

  @Test
  void randintExcludesHigh() {
    assertEquals(IntParameter.of("p", 1, 4), single("randint", "[1, 5]"));
    assertEquals(ConstantParameter.of("p", 3L), single("randint", "[3, 4]"));
  }

  @Test
  void uniformAndLoguniform() {
    assertEquals(FloatParameter.of("p", 0.5, 0.99), single("uniform", "[0.5, 0.99]"));
    assertEquals(FloatParameter.of("p", 1e-4, 0.1).withLog(true), single("loguniform", "[0.0001, 0.1]"));
  }

  @Test
  void quniformBecomesASteppedRange() {
    assertEquals(FloatParameter.of("p", 0.0, 0.5).withStep(0.1), single("quniform", "[0.0, 0.5, 0.1]"));
    assertEquals(IntParameter.of("p", 16, 256).withStep(16), single("quniform", "[10, 260, 16]"));
  }

  @Test
  void qloguniformIsALogRangeOverTheMultiplesOfQ() {
    assertEquals(IntParameter.of("p", 16, 1024).withLog(true).withStep(16), single("qloguniform", "[16, 1024, 16]"));
    assertEquals(FloatParameter.of("p", 0.5, 2.0).withLog(true).withStep(0.5), single("qloguniform", "[0.4, 2.0, 0.5]"));
  }

  @Test
  void normalIsTheTruncatedNormalPriorOverMuPlusMinusFourSigma() {
    FloatParameter p = (FloatParameter) single("normal", "[0.0, 0.02]");
    assertEquals(-0.08, p.low(), 1e-12);
    assertEquals(0.08, p.high(), 1e-12);
    assertFalse(p.log());
    assertEquals(new NormalPrior(0.0, 0.02), p.prior());
  }

  @Test
  void qnormalIsSteppedOverTheFourSigmaRangeWithThePrior() {
    assertEquals(IntParameter.of("p", 20, 180).withStep(10).withPrior(new NormalPrior(100, 20)),
        single("qnormal", "[100, 20, 10]"));
  }

  @Test
  void lognormalIsALogRangeWithTheNormalPriorOfItsLogarithm() {
    FloatParameter p = (FloatParameter) single("lognormal", "[0.0, 0.5]");
    assertEquals(Math.exp(-2), p.low(), 1e-12);
    assertEquals(Math.exp(2), p.high(), 1e-12);
    assertTrue(p.log());
    assertEquals(new NormalPrior(0.0, 0.5), p.prior());
  }

  @Test
  void qlognormalIsQuantisedInLogSpace() {
    // exp(3 ± 2) = [2.72, 148.4]; multiples of 1 in there: 3..148
    assertEquals(IntParameter.of("p", 3, 148).withLog(true).withPrior(new NormalPrior(3, 0.5)),
        single("qlognormal", "[3.0, 0.5, 1]"));
    // multiples of 5: 5..145
    assertEquals(IntParameter.of("p", 5, 145).withLog(true).withStep(5).withPrior(new NormalPrior(3, 0.5)),
        single("qlognormal", "[3.0, 0.5, 5]"));
  }

  @Test
  void aQuantumLeavingTheNormalNoMassIsOneLocatedLine() {
    // multiples of 1000 in exp(0 ± 4) = [0.018, 54.6]: none
    assertPointer("{\"s\": {\"_type\": \"qlognormal\", \"_value\": [0, 1, 1000]}}", "/s", "no positive multiple");
    assertPointer("{\"s\": {\"_type\": \"qnormal\", \"_value\": [0, 1, 0]}}", "/s/_value/2", "q must be positive");
    assertPointer("{\"s\": {\"_type\": \"lognormal\", \"_value\": [0, 0]}}", "/s/_value/1", "sigma must be positive");
  }

  @Test
  void nestedChoiceBecomesACategoricalWithConditionalParameters() {
    String json = "{" + NESTED_OPTIMIZER + "}";
    ParameterSpace space = NniSpaceReader.parse(json, "nni.json");
    List<String> names = space.nodes().stream().map(SpaceNode::name).toList();
    assertEquals(List.of("optimizer", "optimizer.sgd.lr", "optimizer.adam.lr", "optimizer.adam.schedule",
        "optimizer.adam.schedule.cosine.t0"), names);
    assertEquals(ChoiceParameter.of("optimizer", "sgd", "adam", "rmsprop"), space.nodes().getFirst());
    assertEquals(Condition.of("optimizer", "adam"), space.nodes().get(2).when());
    assertEquals(Condition.of("optimizer.adam.schedule", "cosine"), space.nodes().get(4).when());

    SplittableRandom random = new SplittableRandom(4);
    boolean sawT0 = false;
    for (int i = 0; i < 300; i++) {
      Configuration c = space.sample(random);
      Object opt = c.get("optimizer");
      assertEquals("sgd".equals(opt), c.values().containsKey("optimizer.sgd.lr"));
      assertEquals("adam".equals(opt), c.values().containsKey("optimizer.adam.schedule"));
      boolean t0 = c.values().containsKey("optimizer.adam.schedule.cosine.t0");
      assertEquals("adam".equals(opt) && "cosine".equals(c.get("optimizer.adam.schedule")), t0);
      sawT0 |= t0;
      assertEquals(c, space.decode(space.encode(c)));
    }
    assertTrue(sawT0);
  }

  @Test
  void aNestedChoiceGoesBackToNnisNestedObjects() {
    String json = "{" + NESTED_OPTIMIZER + ", \"batch\": {\"_type\": \"choice\", \"_value\": [16, 32]}}";
    ParameterSpace space = NniSpaceReader.parse(json, "nni.json");
    java.util.Set<String> nested = NniSpaceReader.nestedChoices(space);
    assertEquals(java.util.Set.of("optimizer", "optimizer.adam.schedule"), nested);
    Configuration adam = Configuration.of(Map.of("optimizer", "adam", "optimizer.adam.lr", 0.001,
        "optimizer.adam.schedule", "cosine", "optimizer.adam.schedule.cosine.t0", 3L, "batch", 32L));
    space.validate(adam);
    assertEquals(Map.of("batch", 32L, "optimizer", Map.of("_name", "adam", "lr", 0.001,
        "schedule", Map.of("_name", "cosine", "t0", 3L))), NniSpaceReader.nest(adam.values(), nested));
    Configuration constant = Configuration.of(Map.of("optimizer", "adam", "optimizer.adam.lr", 0.001,
        "optimizer.adam.schedule", "constant", "batch", 16L));
    assertEquals(Map.of("_name", "adam", "lr", 0.001, "schedule", Map.of("_name", "constant")),
        NniSpaceReader.nest(constant.values(), nested).get("optimizer"));
    assertEquals(Map.of("optimizer", Map.of("_name", "rmsprop"), "batch", 16L),
        NniSpaceReader.nest(Map.of("optimizer", "rmsprop", "batch", 16L), nested));
    assertEquals(adam.values(), NniSpaceReader.nest(adam.values(), java.util.Set.of()), "nothing nested: as is");
  }

  @Test
  void readsTheExampleFileShapes() {
    ParameterSpace space = NniSpaceReader.parse("""
        {"lr": {"_type": "loguniform", "_value": [1e-4, 1e-1]},
         "bs": {"_type": "choice", "_value": [16, 32]}}""", "nni.json");
    Configuration c = space.sample(new SplittableRandom(1));
    assertInstanceOf(Double.class, c.get("lr"));
    assertInstanceOf(Long.class, c.get("bs"));
  }

  @Test
  void errorsCarryLineColumnAndPointer() {
    String json = """
        {
          "lr": { "_type": "loguniformm", "_value": [0.001, 0.1] }
        }""";
    SpaceException e = assertThrows(SpaceException.class, () -> NniSpaceReader.parse(json, "nni.json"));
    assertEquals("/lr/_type", e.pointer());
    assertEquals(SpaceReaderTest.position(json, "\"loguniformm\"", 0), e.line() + ":" + e.column());
    assertTrue(e.detail().contains("did you mean 'loguniform'?"), e.detail());
    assertTrue(e.getMessage().startsWith("nni.json:2:"), e.getMessage());
  }

  @Test
  void invalidValuesAreReported() {
    assertPointer("{\"s\": {\"_type\": \"normal\", \"_value\": [0, -1]}}", "/s/_value/1", "sigma must be positive");
    assertPointer("{\"s\": {\"_type\": \"uniform\", \"_value\": [1, 0]}}", "/s/_value", "inverted");
    assertPointer("{\"s\": {\"_type\": \"quniform\", \"_value\": [0, 1]}}", "/s/_value", "[low, high, q]");
    assertPointer("{\"s\": {\"_type\": \"loguniform\", \"_value\": [0, 1]}}", "/s/_value/0", "low > 0");
    assertPointer("{\"s\": {\"_type\": \"randint\", \"_value\": [3, 3]}}", "/s/_value", "is empty");
    assertPointer("{\"s\": {\"_type\": \"choice\", \"_value\": []}}", "/s/_value", "empty");
    assertPointer("{\"s\": {\"_type\": \"choice\", \"_value\": [1]}, \"x\": 1}", "/x", "_type");
    assertPointer("{\"s\": {\"_type\": \"uniform\", \"_vlaue\": [0, 1]}}", "/s/_vlaue", "did you mean '_value'?");
    assertPointer("{\"s\": {\"_type\": \"quniform\", \"_value\": [0, 1, 0]}}", "/s/_value/2", "q must be positive");
  }

  private static void assertPointer(String json, String pointer, String part) {
    SpaceException e = assertThrows(SpaceException.class, () -> NniSpaceReader.parse(json, "nni.json"));
    assertEquals(pointer, e.pointer(), e.getMessage());
    assertTrue(e.detail().contains(part), e.getMessage());
    assertTrue(e.line() > 0, e.getMessage());
  }

  @Test
  void allTypesAreKnown() {
    assertEquals(10, NniSpaceReader.TYPES.size());
    assertEquals(Map.of(), Map.of());
  }
}
