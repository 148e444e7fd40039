package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParameterSpaceTest {

  private static final ParameterSpace NESTED = SpaceReader.parse(SpaceFixtures.NESTED, "nested.json");

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  @Test
  void dimensionsExpandRepeatSlotsWithCountsFirst() {
    List<String> paths = NESTED.dimensions().stream().map(Dimension::path).toList();
    assertEquals("blocks/#count", paths.get(0));
    assertEquals(List.of("blocks/0/type", "blocks/0/width", "blocks/0/layers", "blocks/0/branches/#count",
        "blocks/0/branches/0/kernel", "blocks/0/branches/0/width", "blocks/0/branches/0/pool",
        "blocks/0/branches/1/kernel"), paths.subList(1, 9));
    // per block: 3 + (1 + 3 × 3) + 2 = 15; four blocks; then 4 top-level dimensions
    assertEquals(1 + 4 * 15 + 4, paths.size());
    assertEquals(List.of("optimizer", "beta", "learningRate", "batch"), paths.subList(61, 65));
    Dimension count = NESTED.dimensions().getFirst();
    assertEquals(Dimension.Kind.INT, count.kind());
    assertEquals(1, count.low());
    assertEquals(4, count.high());
  }

  @Test
  void decodeOfEncodeIsTheIdentityOver1000Samples() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 1000; i++) {
      Configuration c = NESTED.sample(random);
      NESTED.validate(c);
      double[] unit = NESTED.encode(c);
      assertEquals(NESTED.dimensions().size(), unit.length);
      Configuration back = NESTED.decode(unit);
      assertEquals(c, back);
      if (i % 10 == 0) {
        // also through the canonical JSON, as the store keeps it
        assertEquals(c.id(), back.id());
        assertEquals(c, NESTED.decode(NESTED.encode(Configuration.fromJson(c.canonicalJson()))));
      }
    }
  }

  @Test
  void inactiveParametersAreAbsentAndEncodeAsNaN() {
    SplittableRandom random = new SplittableRandom(7);
    int inception = 0;
    for (int i = 0; i < 500; i++) {
      Configuration c = NESTED.sample(random);
      assertEquals(30L, c.get("epochs"));
      assertEquals("adam".equals(c.get("optimizer")), c.values().containsKey("beta"), c.toString());
      for (Map<String, Object> block : list(c.get("blocks"))) {
        assertEquals("block", block.get("tag"));
        boolean isInception = "inception".equals(block.get("type"));
        assertEquals(isInception, block.containsKey("branches"), c.toString());
        assertEquals("momentum".equals(c.get("optimizer")) && !isInception, block.containsKey("momentum"));
        if (isInception) {
          inception++;
          List<Map<String, Object>> branches = list(block.get("branches"));
          assertTrue(branches.size() >= 2 && branches.size() <= 3);
          for (Map<String, Object> branch : branches) {
            assertEquals(Long.valueOf(1).equals(branch.get("kernel")), branch.containsKey("pool"));
          }
        }
      }
      double[] unit = NESTED.encode(c);
      int blocks = list(c.get("blocks")).size();
      for (int d = 0; d < unit.length; d++) {
        String path = NESTED.dimensions().get(d).path();
        if (path.startsWith("blocks/") && !path.equals("blocks/#count")) {
          int index = Integer.parseInt(path.split("/")[1]);
          if (index >= blocks) {
            assertTrue(Double.isNaN(unit[d]), path + " of a missing block must be NaN");
          }
        }
        if (path.equals("beta")) {
          assertEquals(!c.values().containsKey("beta"), Double.isNaN(unit[d]));
        }
      }
    }
    assertTrue(inception > 100, "inception blocks sampled: " + inception);
  }

  @Test
  void repeatCountsAreUniformOverMinToMax() {
    // 6000 draws of a 1..6 count: each value expected 1000 times (sd ≈ 29); tolerance ±150
    ParameterSpace space = ParameterSpace.of(
        RepeatGroup.of("blocks", 1, 6, IntParameter.of("w", 1, 2)));
    SplittableRandom random = new SplittableRandom(11);
    int[] counts = new int[7];
    for (int i = 0; i < 6000; i++) {
      counts[list(space.sample(random).get("blocks")).size()]++;
    }
    assertEquals(0, counts[0]);
    for (int k = 1; k <= 6; k++) {
      assertTrue(Math.abs(counts[k] - 1000) < 150, "count " + k + " drawn " + counts[k] + " times: " + Arrays.toString(counts));
    }
  }

  @Test
  void integerRangesAreUniformIncludingTheEnds() {
    ParameterSpace space = ParameterSpace.of(IntParameter.of("n", 1, 3));
    SplittableRandom random = new SplittableRandom(5);
    int[] counts = new int[4];
    for (int i = 0; i < 3000; i++) {
      counts[(int) (long) (Long) space.sample(random).get("n")]++;
    }
    for (int k = 1; k <= 3; k++) {
      assertTrue(Math.abs(counts[k] - 1000) < 120, Arrays.toString(counts));
    }
  }

  @Test
  void logSamplingHasItsMedianNearTheGeometricMean() {
    // log-uniform on [1e-4, 1e-1]: log10 is uniform on [-4, -1], median -2.5; with 4001 draws the
    // sample median's sd is about 0.024 decades; tolerance 0.1 decades
    ParameterSpace space = ParameterSpace.of(FloatParameter.of("lr", 1e-4, 1e-1).withLog(true));
    SplittableRandom random = new SplittableRandom(2024);
    double[] logs = new double[4001];
    for (int i = 0; i < logs.length; i++) {
      double lr = (Double) space.sample(random).get("lr");
      assertTrue(lr >= 1e-4 && lr <= 1e-1);
      logs[i] = Math.log10(lr);
    }
    Arrays.sort(logs);
    assertEquals(-2.5, logs[2000], 0.1);
    // a linear scale would put the median near 0.05 (log10 ≈ -1.3)
    assertTrue(logs[1000] < -3.0 && logs[3000] > -2.0, "quartiles " + logs[1000] + ", " + logs[3000]);
  }

  @Test
  void logIntegersAreRoundedAfterExp() {
    ParameterSpace space = ParameterSpace.of(IntParameter.of("hidden", 8, 1024).withLog(true));
    SplittableRandom random = new SplittableRandom(9);
    int small = 0;
    for (int i = 0; i < 2000; i++) {
      long h = (Long) space.sample(random).get("hidden");
      assertTrue(h >= 8 && h <= 1024);
      if (h <= 91) { // geometric mean of 8 and 1024 is 90.5
        small++;
      }
    }
    assertEquals(1000, small, 100);
  }

  @Test
  void steppedFloatsSnapToTheGrid() {
    SplittableRandom random = new SplittableRandom(13);
    BigDecimal step = new BigDecimal("0.05");
    for (int i = 0; i < 300; i++) {
      for (Map<String, Object> block : list(NESTED.sample(random).get("blocks"))) {
        double dropout = (Double) block.get("dropout");
        assertEquals(0, BigDecimal.valueOf(dropout).remainder(step).signum(), "dropout " + dropout);
      }
      long batch = (Long) NESTED.sample(random).get("batch");
      assertEquals(0, batch % 16);
    }
  }

  @Test
  void defaultsUseDefaultsOrTheMidpoint() {
    ParameterSpace space = SpaceReader.parse("""
        {
          "blocks": { "repeat": { "min": 1, "max": 6, "default": 2 }, "of": {
            "type": { "choice": ["plain", "residual"], "default": "residual" },
            "act":  { "choice": ["relu", "tanh"] } } },
          "lr":     { "float": [1e-4, 1e-2], "log": true },
          "x":      { "float": [0, 10] },
          "n":      { "int": [1, 3] },
          "d":      { "float": [0, 1], "step": 0.25, "default": 0.75 },
          "k":      { "int": [1, 100], "default": 17 },
          "epochs": 30
        }""", "d.json");
    Configuration d = space.defaults();
    space.validate(d);
    List<Map<String, Object>> blocks = list(d.get("blocks"));
    assertEquals(2, blocks.size());
    assertEquals(Map.of("type", "residual", "act", "relu"), blocks.get(0));
    assertEquals(1e-3, (Double) d.get("lr"), 1e-15);
    assertEquals(5.0, d.get("x"));
    assertEquals(2L, d.get("n"));
    assertEquals(0.75, d.get("d"));
    assertEquals(17L, d.get("k"));
    assertEquals(30L, d.get("epochs"));
  }

  @Test
  void validateNamesTheFirstOffendingPath() {
    Configuration good = NESTED.defaults();
    NESTED.validate(good);
    Map<String, Object> values = new LinkedHashMap<>(good.values());

    values.put("learningRate", 0.5);
    assertMessage(values, "learningRate: 0.5 is outside");

    values.put("learningRate", 1e-3);
    values.put("optimizer", "adamw");
    assertMessage(values, "optimizer: \"adamw\" is not one of");

    values.put("optimizer", "sgd");
    values.put("beta", 0.95);
    assertMessage(values, "beta: present but inactive");

    values.put("optimizer", "adam");
    values.remove("beta");
    assertMessage(values, "beta: missing");

    values.put("beta", 0.95);
    values.put("batch", 33L);
    assertMessage(values, "batch: 33 is not on the step grid");

    values.put("batch", 32L);
    values.put("learningrate", 0.1);
    assertMessage(values, "learningrate: unknown parameter; did you mean 'learningRate'?");

    values.remove("learningrate");
    values.put("batch", 32.0);
    assertMessage(values, "batch: 32.0 is not an integer");

    values.put("batch", 32L);
    values.put("blocks", List.of());
    assertMessage(values, "blocks: 0 elements, outside [1, 4]");

    Map<String, Object> block = new LinkedHashMap<>(list(good.get("blocks")).getFirst());
    block.put("layers", 9L);
    values.put("blocks", List.of(block));
    assertMessage(values, "blocks/0/layers: 9 is outside [1, 3]");

    block.put("layers", 2L);
    block.put("tag", "other");
    assertMessage(values, "blocks/0/tag: \"other\" differs from the constant \"block\"");
  }

  private static void assertMessage(Map<String, Object> values, String start) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NESTED.validate(Configuration.of(values)));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }

  @Test
  void encodeRejectsInvalidConfigurations() {
    assertThrows(IllegalArgumentException.class, () -> NESTED.encode(Configuration.of(Map.of("x", 1))));
  }

  @Test
  void decodeIgnoresInactiveEntriesAndChecksLength() {
    double[] unit = new double[NESTED.dimensions().size()];
    Arrays.fill(unit, Double.NaN);
    for (int d = 0; d < unit.length; d++) {
      String path = NESTED.dimensions().get(d).path();
      if (path.equals("blocks/#count") || path.startsWith("blocks/0/") && !path.contains("branches")
          && !path.endsWith("momentum") || path.equals("optimizer") || path.equals("learningRate")
          || path.equals("batch")) {
        unit[d] = 0.0;
      }
    }
    Configuration c = NESTED.decode(unit);
    assertEquals("sgd", c.get("optimizer"));
    assertEquals(1, list(c.get("blocks")).size());
    assertThrows(IllegalArgumentException.class, () -> NESTED.decode(new double[3]));
    double[] nanActive = unit.clone();
    nanActive[0] = Double.NaN;
    assertThrows(IllegalArgumentException.class, () -> NESTED.decode(nanActive));
  }

  @Test
  void sameSeedSameSamples() {
    List<Configuration> a = new ArrayList<>();
    List<Configuration> b = new ArrayList<>();
    SplittableRandom ra = new SplittableRandom(99);
    SplittableRandom rb = new SplittableRandom(99);
    for (int i = 0; i < 20; i++) {
      a.add(NESTED.sample(ra));
      b.add(NESTED.sample(rb));
    }
    assertEquals(a, b);
  }

  @Test
  void programmaticSpacesAreCheckedToo() {
    ChoiceParameter type = ChoiceParameter.of("type", "plain", "inception");
    IntParameter branches = IntParameter.of("branches", 2, 4).withWhen(Condition.of("type", "inception"));
    ParameterSpace space = ParameterSpace.of(type, branches, ConstantParameter.of("epochs", 3));
    assertEquals(2, space.dimensions().size());
    assertEquals(Map.of("type", "plain", "epochs", 3L), space.defaults().values());

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ParameterSpace.of(type, branches.withWhen(Condition.of("typ", "inception"))));
    assertTrue(unknown.getMessage().contains("did you mean 'type'?"), unknown.getMessage());

    List<ParameterSpace.Issue> cycle = ParameterSpace.check(List.of(
        ChoiceParameter.of("a", 1, 2).withWhen(Condition.of("b", 1)),
        ChoiceParameter.of("b", 1, 2).withWhen(Condition.of("a", 2))));
    assertEquals(1, cycle.size());
    assertTrue(cycle.getFirst().message().contains("a → b → a"), cycle.getFirst().message());

    assertThrows(IllegalArgumentException.class, () -> IntParameter.of("n", 3, 1));
    assertThrows(IllegalArgumentException.class, () -> FloatParameter.of("x", 0, 1).withLog(true));
    assertThrows(IllegalArgumentException.class, () -> ChoiceParameter.of("c"));
    assertThrows(IllegalArgumentException.class, () -> RepeatGroup.of("g", 3, 2, IntParameter.of("n", 1, 2)));
  }

  @Test
  void conditionsOrderEvaluationRegardlessOfDeclarationOrder() {
    // "late" is declared before the parameter it depends on; an inner parameter depends on a
    // top-level one declared after its group
    ParameterSpace space = SpaceReader.parse("""
        {
          "late":   { "int": [1, 2], "when": { "switch": "on" } },
          "blocks": { "repeat": { "min": 1, "max": 2 }, "of": {
            "w": { "int": [1, 2], "when": { "switch": "on" } } } },
          "switch": { "choice": ["on", "off"] }
        }""", "order.json");
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      Configuration c = space.sample(random);
      boolean on = "on".equals(c.get("switch"));
      assertEquals(on, c.values().containsKey("late"));
      for (Map<String, Object> block : list(c.get("blocks"))) {
        assertEquals(on, block.containsKey("w"));
      }
      assertArrayEquals(space.encode(c), space.encode(space.decode(space.encode(c))));
    }
  }

  @Test
  void fixedCountGroupsHaveNoCountDimension() {
    ParameterSpace space = SpaceReader.parse("{\"g\": {\"repeat\": 3, \"of\": {\"x\": {\"int\": [1, 2]}}}}", "f.json");
    assertEquals(List.of("g/0/x", "g/1/x", "g/2/x"), space.dimensions().stream().map(Dimension::path).toList());
    assertEquals(3, list(space.sample(new SplittableRandom(1)).get("g")).size());
    assertFalse(space.toString().isEmpty());
  }
}
