package dev.strata.search.objective;

import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * A numeric test function on a box: parameters {@code x1..xd}, each a continuous float range,
 * minimised. Immutable and thread-safe.
 */
public final class BoxFunction implements Objective {

  private final String name;
  private final ParameterSpace space;
  private final int dimension;
  private final double optimum;
  private final ToDoubleFunction<double[]> function;

  BoxFunction(String name, double[] low, double[] high, double optimum, ToDoubleFunction<double[]> function) {
    this.name = Objects.requireNonNull(name, "name");
    if (low.length != high.length || low.length == 0) {
      throw new IllegalArgumentException(name + ": bounds need the same positive length");
    }
    List<FloatParameter> parameters = new ArrayList<>();
    for (int i = 0; i < low.length; i++) {
      parameters.add(FloatParameter.of("x" + (i + 1), low[i], high[i]));
    }
    this.space = ParameterSpace.of(parameters);
    this.dimension = low.length;
    this.optimum = optimum;
    this.function = function;
  }

  /** The same bounds {@code [low, high]} in each of {@code d} coordinates. */
  static BoxFunction cube(String name, int d, double low, double high, double optimum,
      ToDoubleFunction<double[]> function) {
    double[] lo = new double[d];
    double[] hi = new double[d];
    java.util.Arrays.fill(lo, low);
    java.util.Arrays.fill(hi, high);
    return new BoxFunction(name, lo, hi, optimum, function);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SearchSpace space() {
    return space;
  }

  @Override
  public Direction direction() {
    return Direction.MINIMIZE;
  }

  /** The number of coordinates. */
  public int dimension() {
    return dimension;
  }

  /** The function at a point {@code (x1..xd)}. */
  public double value(double... x) {
    if (x.length != dimension) {
      throw new IllegalArgumentException(name + " takes " + dimension + " coordinates, got " + x.length);
    }
    return function.applyAsDouble(x);
  }

  @Override
  public double evaluate(Configuration configuration) {
    double[] x = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      Object v = configuration.get("x" + (i + 1));
      if (!(v instanceof Number n)) {
        throw new IllegalArgumentException(name + ": configuration " + configuration + " lacks a number x" + (i + 1));
      }
      x[i] = n.doubleValue();
    }
    return function.applyAsDouble(x);
  }

  @Override
  public OptionalDouble optimum() {
    return OptionalDouble.of(optimum);
  }

  @Override
  public String toString() {
    return name;
  }
}
