package dev.strata.search.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.search.objective.Objective;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.testkit.UniformStrategy;
import dev.strata.search.testkit.UnitBox;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class OptimizationTest {

  /** Sphere on the unit box, minimised, optimum 0; throws for x0 > 0.9 and is NaN for x1 > 0.9. */
  private record Sphere(UnitBox box) implements Objective {
    @Override public String name() { return "sphere"; }
    @Override public SearchSpace space() { return box; }
    @Override public Direction direction() { return Direction.MINIMIZE; }
    @Override public OptionalDouble optimum() { return OptionalDouble.of(0); }

    @Override
    public double evaluate(Configuration c) {
      double[] x = box.point(c);
      if (x[0] > 0.9) {
        throw new IllegalStateException("x0 too large");
      }
      if (x[1] > 0.9) {
        return Double.NaN;
      }
      double s = 0;
      for (double v : x) {
        s += v * v;
      }
      return s;
    }
  }

  private final Sphere sphere = new Sphere(UnitBox.of(2));

  @Test
  void trajectoryIsTheBestSoFarAndFailuresAreToldAndSkipped() {
    UniformStrategy strategy = new UniformStrategy(sphere.box(), 4);
    List<Double> seen = new ArrayList<>();
    OptimizationResult r = Optimization.run(strategy, sphere, 60, 4,
        (i, c, o, best) -> seen.add(o.hasValue() ? o.value() : Double.NaN));
    assertEquals(60, r.trials());
    assertEquals("uniform", r.strategy());
    assertEquals("sphere", r.objective());
    double best = Double.NaN;
    for (int i = 0; i < 60; i++) {
      double v = seen.get(i);
      if (!Double.isNaN(v) && (Double.isNaN(best) || v < best)) {
        best = v;
      }
      assertEquals(best, r.trajectory().get(i));
      assertEquals(best, r.regret().get(i));
    }
    assertEquals(best, r.bestValue());
    assertEquals(best, sphere.evaluate(r.bestConfiguration()));
    long failed = strategy.told.values().stream().filter(o -> o.status() == TrialStatus.FAILED).count();
    long diverged = strategy.told.values().stream().filter(o -> o.status() == TrialStatus.DIVERGED).count();
    assertTrue(failed > 0 && diverged > 0, failed + " " + diverged);
    assertEquals(failed + diverged, r.failures());
    assertEquals("x0 too large", strategy.told.values().stream()
        .filter(o -> o.status() == TrialStatus.FAILED).findFirst().orElseThrow().reason());
    assertTrue(r.meanAskMillis() >= 0);
  }

  @Test
  void jsonHasExactlyTheDocumentedKeys() throws Exception {
    OptimizationResult r = Optimization.run(new UniformStrategy(sphere.box(), 1), sphere, 5, 9);
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("strategy", "seed", "trials", "best_value", "best_config", "trajectory",
        "ask_ms", "evaluations"), keys);
    assertEquals(5, json.get("evaluations").size());
    List<String> evaluationKeys = new ArrayList<>();
    json.get("evaluations").get(0).fieldNames().forEachRemaining(evaluationKeys::add);
    assertEquals(List.of("trial", "config", "status", "value", "best"), evaluationKeys);
    assertEquals("uniform", json.get("strategy").asText());
    assertEquals(9, json.get("seed").asLong());
    assertEquals(5, json.get("trials").asInt());
    assertEquals(5, json.get("trajectory").size());
    assertTrue(json.get("best_config").isObject());
    if (Double.isFinite(r.bestValue())) {
      assertEquals(r.bestValue(), json.get("best_value").asDouble());
      assertEquals(r.bestConfiguration().get("x0"), json.get("best_config").get("x0").asDouble());
    }
  }

  @Test
  void everyTrialFailingGivesNullsNotNaN() throws Exception {
    Objective broken = new Objective() {
      @Override public String name() { return "broken"; }
      @Override public SearchSpace space() { return sphere.box(); }
      @Override public Direction direction() { return Direction.MAXIMIZE; }
      @Override public OptionalDouble optimum() { return OptionalDouble.empty(); }
      @Override public double evaluate(Configuration c) { throw new IllegalArgumentException("no row"); }
    };
    OptimizationResult r = Optimization.run(new UniformStrategy(sphere.box(), 2), broken, 3, 2);
    assertEquals(3, r.failures());
    assertNull(r.bestConfiguration());
    assertTrue(r.regret().isEmpty());
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertTrue(json.get("best_value").isNull());
    assertTrue(json.get("best_config").isNull());
    assertTrue(json.get("trajectory").get(2).isNull());
    assertTrue(r.toText().contains("best value:  none (every trial failed)"), r.toText());
  }

  @Test
  void aFiniteStrategyEndsTheRunEarly() {
    OptimizationResult r = Optimization.run(new UniformStrategy(sphere.box(), 3, 4), sphere, 10, 3);
    assertEquals(4, r.trials());
    assertEquals(4, r.trajectory().size());
  }

  @Test
  void registeredStrategyOnATestFunction() {
    OptimizationResult a = Optimization.run("random", Optimization.function("branin"), 30, 3, Map.of());
    OptimizationResult b = Optimization.run("random", Optimization.function("branin"), 30, 3, Map.of());
    assertEquals(a.trajectory(), b.trajectory());
    assertEquals(a.bestConfiguration(), b.bestConfiguration());
    assertEquals("random", a.strategy());
    assertEquals("branin", a.objective());
    assertTrue(a.finalRegret().orElseThrow() >= 0);
    assertTrue(a.toText().startsWith("random on branin (minimize), seed 3, 30 trials"), a.toText());
  }
}
