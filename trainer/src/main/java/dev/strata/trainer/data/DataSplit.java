package dev.strata.trainer.data;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A dataset cut into training, validation and test parts, made by {@link Splitter}. Immutable and
 * thread-safe for reading. The validation or test part may have zero rows when its fraction is 0.
 */
public record DataSplit(Dataset train, Dataset validation, Dataset test) {

  public DataSplit {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    if (train.features() != validation.features() || train.features() != test.features()) {
      throw new IllegalArgumentException("train, validation and test must have the same number of features, got "
          + train.features() + ", " + validation.features() + ", " + test.features());
    }
  }

  /** The same function applied to all three parts, e.g. a fitted {@link Preprocessor}. */
  public DataSplit map(UnaryOperator<Dataset> f) {
    return new DataSplit(f.apply(train), f.apply(validation), f.apply(test));
  }

  /** Total rows over the three parts. */
  public int rows() {
    return train.rows() + validation.rows() + test.rows();
  }
}
