package dev.strata.search.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TestFunctionsTest {

  @Test
  void knownOptimaAreReached() {
    BoxFunction branin = TestFunctions.branin();
    assertEquals(0.397887, branin.value(-Math.PI, 12.275), 1e-6);
    assertEquals(0.397887, branin.value(Math.PI, 2.275), 1e-6);
    assertEquals(0.397887, branin.value(9.42478, 2.475), 1e-6);
    assertEquals(-3.32237, TestFunctions.hartmann6().value(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573),
        1e-5);
    assertEquals(0, TestFunctions.rosenbrock(4).value(1, 1, 1, 1), 1e-15);
    assertEquals(0, TestFunctions.ackley(3).value(0, 0, 0), 1e-12);
    assertEquals(0, TestFunctions.levy(5).value(1, 1, 1, 1, 1), 1e-15);
  }

  @Test
  void noSampledPointBeatsTheOptimum() {
    SplittableRandom random = new SplittableRandom(1);
    for (String name : List.of("branin", "hartmann6", "rosenbrock:3", "ackley:4", "levy:2", "mixed")) {
      Objective f = TestFunctions.byName(name);
      for (int i = 0; i < 2000; i++) {
        Configuration c = f.space().sample(random);
        assertTrue(f.evaluate(c) >= f.optimum().getAsDouble() - 1e-9, name + " at " + c);
      }
    }
  }

  @Test
  void mixedOptimumIsAValidConfiguration() {
    Objective mixed = TestFunctions.byName("mixed");
    Configuration best = Configuration.of(Map.of("x", 1.0, "kernel", "rbf", "gamma", 1.0,
        "blocks", List.of(Map.of("width", 32L, "dropout", 0.1), Map.of("width", 32L, "dropout", 0.1))));
    mixed.space().validate(best);
    assertEquals(0.0, mixed.evaluate(best), 1e-15);
    Configuration poly = Configuration.of(Map.of("x", 1.0, "kernel", "poly", "degree", 3L,
        "blocks", List.of(Map.of("width", 32L, "dropout", 0.1), Map.of("width", 32L, "dropout", 0.1))));
    mixed.space().validate(poly);
    assertEquals(0.5, mixed.evaluate(poly), 1e-15);
  }

  @Test
  void namesParseWithDimensions() {
    assertEquals("rosenbrock:4", TestFunctions.byName("rosenbrock:4").name());
    assertEquals(4, TestFunctions.byName("rosenbrock:4").space().dimensions().size());
    assertEquals("levy:2", TestFunctions.byName("levy").name());
    assertEquals(6, TestFunctions.byName("hartmann6").space().dimensions().size());
  }

  @Test
  void badNamesAreExplained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestFunctions.byName("rosenbrok:3"));
    assertTrue(e.getMessage().contains("did you mean 'rosenbrock'?"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TestFunctions.byName("branin:3"));
    assertThrows(IllegalArgumentException.class, () -> TestFunctions.byName("ackley:x"));
    assertThrows(IllegalArgumentException.class, () -> TestFunctions.byName("rosenbrock:1"));
  }
}
