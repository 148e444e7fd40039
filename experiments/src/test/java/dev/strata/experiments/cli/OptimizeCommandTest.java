package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code strata optimize}: the JSON contract and bad input. */
class OptimizeCommandTest {

  private static String[] run(String... args) {
    Cli.Result r = Cli.execute(args);
    return new String[] {String.valueOf(r.code()), r.out(), r.err()};
  }

  @Test
  void jsonHasTheDocumentedKeysAndAMonotoneTrajectory() throws Exception {
    String[] r = run("optimize", "--function", "branin", "--strategy", "random", "--trials", "30", "--seed", "3", "--json");
    assertEquals("0", r[0], r[2]);
    JsonNode json = new ObjectMapper().readTree(r[1].strip());
    for (String key : new String[] {"strategy", "seed", "trials", "best_value", "best_config", "trajectory", "ask_ms"}) {
      assertTrue(json.has(key), "missing " + key + " in " + r[1]);
    }
    JsonNode trajectory = json.get("trajectory");
    assertEquals(30, trajectory.size());
    for (int i = 1; i < trajectory.size(); i++) {
      assertTrue(trajectory.get(i).asDouble() <= trajectory.get(i - 1).asDouble(), "best-so-far never worsens");
    }
    assertEquals(trajectory.get(29).asDouble(), json.get("best_value").asDouble(), 0.0);
    JsonNode all = json.get("evaluations");
    assertEquals(30, all.size(), "every trial is listed");
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 30; i++) {
      JsonNode e = all.get(i);
      assertEquals(i, e.get("trial").asInt());
      assertEquals("COMPLETED", e.get("status").asText());
      double x1 = e.get("config").get("x1").asDouble();
      double x2 = e.get("config").get("x2").asDouble();
      double branin = Math.pow(x2 - 5.1 / (4 * Math.PI * Math.PI) * x1 * x1 + 5 / Math.PI * x1 - 6, 2)
          + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
      assertEquals(branin, e.get("value").asDouble(), 1e-9, "the listed value is the configuration's");
      best = Math.min(best, e.get("value").asDouble());
      assertEquals(best, e.get("best").asDouble(), 0.0);
      assertEquals(trajectory.get(i).asDouble(), e.get("best").asDouble(), 0.0);
    }
  }

  @Test
  void unknownStrategyAndFunctionAreBadInput() {
    String[] r = run("optimize", "--function", "branin", "--strategy", "bayesain");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("did you mean 'bayesian'"), r[2]);
    r = run("optimize", "--function", "brannin");
    assertEquals("2", r[0]);
    assertEquals(1, r[2].lines().count(), r[2]);
  }

  @Test
  void strategyOptionsArePassedTyped() {
    String[] a = run("optimize", "--function", "branin", "--strategy", "tpe", "--trials", "15", "--json",
        "--option", "startup=5", "--option", "multivariate=false", "--option", "gamma=0.25");
    assertEquals("0", a[0], a[2]);
    String[] b = run("optimize", "--function", "branin", "--strategy", "tpe", "--trials", "15", "--json");
    assertTrue(!a[1].equals(b[1]), "options change the run");
    String[] bad = run("optimize", "--function", "branin", "--strategy", "tpe", "--option", "startups=5");
    assertEquals("2", bad[0]);
    assertTrue(bad[2].contains("unknown option 'startups'") && bad[2].contains("did you mean 'startup'"), bad[2]);
    assertEquals(Map.of("n", 48L, "x", 0.5, "b", true, "s", "min"),
        OptimizeCommand.typed(Map.of("n", "48", "x", "0.5", "b", "true", "s", "min")));
  }
}
