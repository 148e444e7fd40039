package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * On-the-fly augmentation of image training batches; off unless a spec asks for it. Immutable.
 *
 * <p>Each training row, each time it is drawn into a batch, is (1) shifted by a random crop with
 * zero padding: the image is padded by {@code crop} pixels on every side and a window of the
 * original size is cut at a uniformly random offset in {@code [0, 2 crop]} on each axis; (2)
 * mirrored left to right with probability 1/2 when {@code flip}. Every channel of one image moves
 * together. The draws come from the run's own random stream (seeded by the spec's seed), so a run
 * is reproducible; validation and test rows are never augmented. Needs the spec's {@code image}
 * shape. Augmentation acts after the preprocessing, so the padding is 0 in preprocessed units (the
 * training mean with {@code standardize}).
 *
 * @param crop padding in pixels for the random crop, {@code >= 0} (0: no crop)
 * @param flip random horizontal flips
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Augmentation(int crop, boolean flip) {

  public Augmentation(int crop, boolean flip) {
    SpecException.checkAtLeast("/crop", crop, 0, "use the padding in pixels, e.g. 4 (0 for no crop)");
    if (crop == 0 && !flip) {
      throw SpecException.at("", "asks for no augmentation; set \"crop\" (e.g. 4) and/or \"flip\": true, or remove it");
    }
    this.crop = crop;
    this.flip = flip;
  }

  @JsonCreator
  static Augmentation fromJson(@JsonProperty("crop") Integer crop, @JsonProperty("flip") Boolean flip) {
    return new Augmentation(crop == null ? 0 : crop, flip != null && flip);
  }
}
