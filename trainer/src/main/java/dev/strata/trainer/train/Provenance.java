package dev.strata.trainer.train;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a trained network came from: with the spec (which holds the seed and every hyperparameter)
 * and data of the same {@code datasetHash}, retraining reproduces the weights bit for bit on the same
 * Strata version and CPU vector width. Immutable.
 *
 * @param seed the spec's seed
 * @param datasetHash {@code sha256:<hex>} over the train, validation and test parts ({@link DatasetHash})
 * @param strataVersion the version string passed in {@link TrainingControl}
 * @param createdAt when training finished
 */
public record Provenance(long seed, String datasetHash, String strataVersion, Instant createdAt) {

  public Provenance {
    Objects.requireNonNull(datasetHash, "datasetHash");
    Objects.requireNonNull(strataVersion, "strataVersion");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
