package dev.strata.search.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.space.ChoiceParameter;
import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.space.RepeatGroup;
import dev.strata.search.trial.Configuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FanovaTest {

  private static final ParameterSpace SIX = ParameterSpace.of(FloatParameter.of("x0", 0, 1),
      FloatParameter.of("x1", 0, 1), FloatParameter.of("x2", 0, 1), FloatParameter.of("x3", 0, 1),
      FloatParameter.of("x4", 0, 1), FloatParameter.of("x5", 0, 1));

  private static double x(Configuration c, int i) {
    return ((Number) c.get("x" + i)).doubleValue();
  }

  /**
   * {@code f = 4(x0 − 0.3)² + 2(x1 − 0.7)² + 0.2·Σ_{i=2..5}(x_i − 0.5)²} on the uniform unit cube:
   * the variances of the terms are 16·v, 4·v and 0.04·v each with {@code v = Var((U − c)²)} ≈
   * 0.019-0.029, so x0 and x1 carry over 99% of the variance (the issue asks for a function in which
   * two carry over 90%). 300 uniform samples, seed 7: they rank first (x0) and second (x1) and hold
   * at least 90% of the importance.
   */
  @Test
  void ranksTheTwoDimensionsThatCarryTheVarianceFirst() {
    SplittableRandom random = new SplittableRandom(7);
    List<Configuration> configurations = new ArrayList<>();
    double[] losses = new double[300];
    for (int i = 0; i < losses.length; i++) {
      Configuration c = SIX.sample(random);
      configurations.add(c);
      double f = 4 * Math.pow(x(c, 0) - 0.3, 2) + 2 * Math.pow(x(c, 1) - 0.7, 2);
      for (int d = 2; d < 6; d++) {
        f += 0.2 * Math.pow(x(c, d) - 0.5, 2);
      }
      losses[i] = f;
    }
    Map<String, Double> importance = Fanova.importances(SIX, configurations, losses, 1);
    List<String> ranked = List.copyOf(importance.keySet());
    System.out.println("fanova importances: " + importance);
    assertEquals(List.of("x0", "x1"), ranked.subList(0, 2), importance::toString);
    assertTrue(importance.get("x0") + importance.get("x1") >= 0.9, importance::toString);
    assertEquals(1.0, importance.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    assertEquals(importance, Fanova.importances(SIX, configurations, losses, 1), "same seed, same importances");
  }

  /** A pure function of x0 on a 1-D space: one tree's share is exactly 1. */
  @Test
  void aFunctionOfOneDimensionGivesItAllTheVariance() {
    ParameterSpace two = ParameterSpace.of(FloatParameter.of("x0", 0, 1), FloatParameter.of("x1", 0, 1));
    SplittableRandom random = new SplittableRandom(3);
    List<Configuration> configurations = new ArrayList<>();
    double[] losses = new double[200];
    for (int i = 0; i < losses.length; i++) {
      Configuration c = two.sample(random);
      configurations.add(c);
      losses[i] = x(c, 0) < 0.4 ? 0 : 1;
    }
    Map<String, Double> importance = Fanova.importances(two, configurations, losses, 1);
    assertEquals(1.0, importance.get("x0"), 1e-9, importance::toString);
  }

  @Test
  void categoricalAndRepeatSlotParametersAreIncluded() {
    ParameterSpace space = ParameterSpace.of(ChoiceParameter.of("opt", "sgd", "adam", "rmsprop"),
        ChoiceParameter.of("noise", "a", "b", "c"),
        RepeatGroup.of("blocks", 1, 2, ChoiceParameter.of("width", 16, 32, 64)));
    SplittableRandom random = new SplittableRandom(3);
    List<Configuration> configurations = new ArrayList<>();
    double[] losses = new double[400];
    for (int i = 0; i < losses.length; i++) {
      Configuration c = space.sample(random);
      configurations.add(c);
      losses[i] = ("adam".equals(c.get("opt")) ? 0 : 1) + 0.01 * random.nextDouble();
    }
    Map<String, Double> importance = Fanova.importances(space, configurations, losses, 1);
    assertEquals("opt", importance.keySet().iterator().next(), importance::toString);
    assertTrue(importance.containsKey("blocks/1/width"), importance::toString);
    assertTrue(importance.get("opt") > 0.8, importance::toString);
  }

  @Test
  void badArgumentsAreRefusedAndNothingToLearnGivesZeros() {
    assertThrows(IllegalArgumentException.class, () -> Fanova.importances(SIX, List.of(), new double[1], 1));
    Map<String, Double> none = Fanova.importances(SIX, List.of(), new double[0], 1);
    assertEquals(Set.of(0.0), Set.copyOf(none.values()));
  }
}
