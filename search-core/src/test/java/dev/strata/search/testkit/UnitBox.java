package dev.strata.search.testkit;

import dev.strata.search.space.Dimension;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** A test-local box space: float dimensions {@code x0..x(d-1)} on [low, high]. */
public record UnitBox(int d, double low, double high) implements SearchSpace {

  public static UnitBox of(int d) {
    return new UnitBox(d, 0, 1);
  }

  @Override
  public List<Dimension> dimensions() {
    List<Dimension> out = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      out.add(new Dimension("x" + i, Dimension.Kind.FLOAT, List.of(), low, high, false, 0));
    }
    return out;
  }

  @Override
  public Configuration decode(double[] unit) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < d; i++) {
      values.put("x" + i, low + unit[i] * (high - low));
    }
    return Configuration.of(values);
  }

  @Override
  public double[] encode(Configuration configuration) {
    double[] u = new double[d];
    for (int i = 0; i < d; i++) {
      u[i] = (((Number) configuration.get("x" + i)).doubleValue() - low) / (high - low);
    }
    return u;
  }

  @Override
  public Configuration sample(RandomGenerator random) {
    double[] u = new double[d];
    for (int i = 0; i < d; i++) {
      u[i] = random.nextDouble();
    }
    return decode(u);
  }

  @Override
  public Configuration defaults() {
    double[] u = new double[d];
    java.util.Arrays.fill(u, 0.5);
    return decode(u);
  }

  @Override
  public void validate(Configuration configuration) {
    encode(configuration);
  }

  /** The point of a configuration, in the box's own units. */
  public double[] point(Configuration c) {
    double[] x = new double[d];
    for (int i = 0; i < d; i++) {
      x[i] = ((Number) c.get("x" + i)).doubleValue();
    }
    return x;
  }
}
