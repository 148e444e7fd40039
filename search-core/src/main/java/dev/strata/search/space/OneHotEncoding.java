package dev.strata.search.space;

import dev.strata.search.trial.Configuration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared real-vector encoding of a {@link SearchSpace} for numeric strategies (Gaussian-process
 * Bayesian optimisation, distances, surrogate models): every column lies in [0, 1].
 *
 * <ul>
 *   <li>A categorical dimension of {@code n} choices becomes {@code n} one-hot columns; inactive:
 *       all zeros. Decoding takes the argmax of the block (the first on ties).
 *   <li>An INT or FLOAT dimension becomes one column holding its unit coordinate (so log scales
 *       are already linear here); inactive: {@link #INACTIVE} (0.5). Decoding clamps to [0, 1];
 *       NaN decodes as 0.5.
 * </ul>
 *
 * <p>{@code decode(encode(c))} equals {@code c} for every configuration of the space (inactive
 * columns are ignored by {@link SearchSpace#decode}). Immutable and thread-safe.
 */
public final class OneHotEncoding {

  /** The value of a numeric column whose dimension is inactive. */
  public static final double INACTIVE = 0.5;

  private final SearchSpace space;
  private final List<Dimension> dimensions;
  private final int[] offsets;
  private final int size;
  private final List<String> columnNames;

  private OneHotEncoding(SearchSpace space) {
    this.space = space;
    this.dimensions = space.dimensions();
    this.offsets = new int[dimensions.size()];
    List<String> names = new ArrayList<>();
    int column = 0;
    for (int i = 0; i < dimensions.size(); i++) {
      Dimension d = dimensions.get(i);
      offsets[i] = column;
      if (d.kind() == Dimension.Kind.CATEGORICAL) {
        for (Object choice : d.choices()) {
          names.add(d.path() + "=" + choice);
        }
        column += d.cardinality();
      } else {
        names.add(d.path());
        column++;
      }
    }
    this.size = column;
    this.columnNames = List.copyOf(names);
  }

  public static OneHotEncoding of(SearchSpace space) {
    return new OneHotEncoding(space);
  }

  /** The number of columns. */
  public int size() {
    return size;
  }

  /** A label per column: the dimension path, with {@code =choice} for one-hot columns. */
  public List<String> columnNames() {
    return columnNames;
  }

  /** The encoded vector of a configuration of the space. */
  public double[] encode(Configuration configuration) {
    return fromUnit(space.encode(configuration));
  }

  /** The encoded vector of a unit vector of the space ({@code NaN} entries are inactive). */
  public double[] fromUnit(double[] unit) {
    double[] x = new double[size];
    for (int i = 0; i < dimensions.size(); i++) {
      Dimension d = dimensions.get(i);
      double u = unit[i];
      if (d.kind() == Dimension.Kind.CATEGORICAL) {
        if (!Double.isNaN(u)) {
          int n = d.cardinality();
          x[offsets[i] + Math.min((int) Math.floor(Math.clamp(u, 0.0, 1.0) * n), n - 1)] = 1;
        }
      } else {
        x[offsets[i]] = Double.isNaN(u) ? INACTIVE : u;
      }
    }
    return x;
  }

  /** The unit vector of an encoded vector (argmax per one-hot block, numeric columns clamped). */
  public double[] toUnit(double[] encoded) {
    if (encoded.length != size) {
      throw new IllegalArgumentException("expected " + size + " columns, got " + encoded.length);
    }
    double[] unit = new double[dimensions.size()];
    for (int i = 0; i < dimensions.size(); i++) {
      Dimension d = dimensions.get(i);
      if (d.kind() == Dimension.Kind.CATEGORICAL) {
        int best = 0;
        for (int k = 1; k < d.cardinality(); k++) {
          if (encoded[offsets[i] + k] > encoded[offsets[i] + best]) {
            best = k;
          }
        }
        unit[i] = (best + 0.5) / d.cardinality();
      } else {
        double u = encoded[offsets[i]];
        unit[i] = Double.isNaN(u) ? 0.5 : Math.clamp(u, 0.0, 1.0);
      }
    }
    return unit;
  }

  /** The configuration an encoded vector stands for. */
  public Configuration decode(double[] encoded) {
    return space.decode(toUnit(encoded));
  }
}
