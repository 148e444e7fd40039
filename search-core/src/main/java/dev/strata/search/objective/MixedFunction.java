package dev.strata.search.objective;

import dev.strata.search.space.ChoiceParameter;
import dev.strata.search.space.Condition;
import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.IntParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.space.RepeatGroup;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A mixed categorical, conditional and repeated test function, shaped like a small
 * hyperparameter search:
 *
 * <pre>
 *   x       float [−5, 5]
 *   kernel  choice rbf | poly | linear
 *   gamma   float [0.001, 10], log scale   when kernel = rbf
 *   degree  int [1, 5]                     when kernel = poly
 *   blocks  repeat 1..3 of { width: choice 16 | 32 | 64, dropout: float [0, 0.5] }
 *
 *   f = (x − 1)²
 *     + { rbf: (log10 gamma)²,  poly: 0.5 + 0.25·(degree − 3)²,  linear: 1 }
 *     + 0.3·|count(blocks) − 2| + Σ_blocks ( [width ≠ 32]·0.2 + (dropout − 0.1)² )
 * </pre>
 *
 * The minimum is 0 at {@code x = 1, kernel = rbf, gamma = 1}, two blocks of width 32 with dropout
 * 0.1. The best poly configuration scores 0.5 and the best linear one 1, so the categorical and
 * its conditional children matter. Minimised. Immutable and thread-safe.
 */
public final class MixedFunction implements Objective {

  private static final ParameterSpace SPACE = ParameterSpace.of(
      FloatParameter.of("x", -5, 5),
      ChoiceParameter.of("kernel", "rbf", "poly", "linear"),
      FloatParameter.of("gamma", 1e-3, 10).withLog(true).withWhen(Condition.of("kernel", "rbf")),
      IntParameter.of("degree", 1, 5).withWhen(Condition.of("kernel", "poly")),
      RepeatGroup.of("blocks", 1, 3,
          ChoiceParameter.of("width", 16, 32, 64),
          FloatParameter.of("dropout", 0, 0.5)));

  @Override
  public String name() {
    return "mixed";
  }

  @Override
  public SearchSpace space() {
    return SPACE;
  }

  @Override
  public Direction direction() {
    return Direction.MINIMIZE;
  }

  @Override
  public double evaluate(Configuration c) {
    double x = number(c.get("x"), "x");
    double f = (x - 1) * (x - 1);
    String kernel = String.valueOf(c.get("kernel"));
    f += switch (kernel) {
      case "rbf" -> {
        double lg = Math.log10(number(c.get("gamma"), "gamma"));
        yield lg * lg;
      }
      case "poly" -> {
        double d = number(c.get("degree"), "degree") - 3;
        yield 0.5 + 0.25 * d * d;
      }
      case "linear" -> 1.0;
      default -> throw new IllegalArgumentException("mixed: unknown kernel " + kernel);
    };
    if (!(c.get("blocks") instanceof List<?> blocks)) {
      throw new IllegalArgumentException("mixed: configuration " + c + " lacks the blocks list");
    }
    f += 0.3 * Math.abs(blocks.size() - 2);
    for (Object b : blocks) {
      Map<?, ?> block = (Map<?, ?>) b;
      f += number(block.get("width"), "width") == 32 ? 0 : 0.2;
      double dropout = number(block.get("dropout"), "dropout") - 0.1;
      f += dropout * dropout;
    }
    return f;
  }

  private static double number(Object v, String name) {
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("mixed: " + name + " is " + v + ", not a number");
    }
    return n.doubleValue();
  }

  @Override
  public OptionalDouble optimum() {
    return OptionalDouble.of(0.0);
  }

  @Override
  public String toString() {
    return "mixed";
  }
}
