package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete, immutable description of a network and how to train it: the input width, an ordered
 * list of blocks, a final dense output layer of {@code outputs} units with {@code outputActivation},
 * the loss, the training hyperparameters and the seed that makes the run reproducible. Serialises to
 * and from JSON with {@link NetworkSpecs}. Build with {@link #builder()}.
 *
 * @param inputs features per sample, >= 1; with {@code image}, its channels x height x width (0 in the
 *     builder: taken from the image)
 * @param image the shape of an image sample (NCHW rows), needed by image blocks; null for a flat input
 * @param outputs units of the output layer, >= 1 (>= 2 for softmax cross-entropy)
 * @param blocks the hidden blocks in order; may be empty (a linear or logistic model)
 * @param outputActivation default linear; must be linear for the cross-entropy losses, which take logits
 * @param loss default softmax_cross_entropy
 * @param training default {@link TrainingSpec#defaults()}
 * @param seed seeds weight initialisation, dropout masks and batch shuffling
 */
@JsonDeserialize(builder = NetworkSpec.Builder.class)
public record NetworkSpec(int inputs, @JsonInclude(JsonInclude.Include.NON_NULL) ImageShape image, int outputs, List<BlockSpec> blocks,
    Activation outputActivation, Loss loss, TrainingSpec training, long seed) {

  public NetworkSpec {
    if (image != null && inputs == 0) {
      inputs = image.size();
    }
    SpecException.checkAtLeast("/inputs", inputs, 1, "set it to the number of features of the dataset");
    SpecException.checkAtLeast("/outputs", outputs, 1, "set it to the number of classes, or of regression targets");
    blocks = blocks == null ? List.of() : blocks;
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i) == null) {
        throw SpecException.at("/blocks/" + i, "is null; give a block such as {\"type\": \"plain\", \"width\": 64}");
      }
    }
    blocks = List.copyOf(blocks);
    if (image != null && inputs != image.size()) {
      throw SpecException.at("/inputs", "must be channels x height x width of 'image' (" + image + " = " + image.size()
          + "), got " + inputs + "; set it to " + image.size() + " or leave it out");
    }
    shapes(image, inputs, blocks);
    if (outputActivation == null) {
      outputActivation = Activation.LINEAR;
    }
    if (loss == null) {
      loss = Loss.SOFTMAX_CROSS_ENTROPY;
    }
    if (training == null) {
      training = TrainingSpec.defaults();
    }
    if (loss.onLogits() && outputActivation != Activation.LINEAR) {
      throw SpecException.at("/outputActivation", "must be 'linear' with loss '" + loss + "', got '" + outputActivation
          + "'; the loss applies " + (loss == Loss.SOFTMAX_CROSS_ENTROPY ? "softmax" : "the sigmoid")
          + " itself, so set it to 'linear' or leave it out");
    }
    if (loss == Loss.SOFTMAX_CROSS_ENTROPY && outputs < 2) {
      throw SpecException.at("/outputs", "must be >= 2 with loss 'softmax_cross_entropy', got " + outputs
          + "; use 'binary_cross_entropy' for a single output");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Width of the input to the output layer: the last block's output width, or {@code inputs}. */
  public int lastHiddenWidth() {
    List<Shape> s = shapes();
    return s.isEmpty() ? inputs : s.getLast().width();
  }

  /**
   * The width of each block's output, with its image shape while the blocks work on images (null
   * once a dense block has flattened them).
   */
  public record Shape(int width, ImageShape image) {}

  /** Each block's output shape, in order. */
  public List<Shape> shapes() {
    return shapes(image, inputs, blocks);
  }

  private static List<Shape> shapes(ImageShape image, int inputs, List<BlockSpec> blocks) {
    List<Shape> out = new ArrayList<>();
    ImageShape img = image;
    for (int i = 0; i < blocks.size(); i++) {
      BlockSpec b = blocks.get(i);
      if (b instanceof ImageBlock ib) {
        if (img == null) {
          throw SpecException.at("/blocks/" + i, (image == null
              ? "an image block needs an image input; give \"image\": {\"channels\": 1, \"height\": 28, \"width\": 28}"
                  + " at the top level"
              : "an image block cannot follow a dense block; put the conv and pool blocks first"));
        }
        try {
          img = ib.outputShape(img);
        } catch (SpecException e) {
          throw e.under("/blocks/" + i);
        }
        out.add(new Shape(img.size(), img));
      } else {
        img = null;
        out.add(new Shape(b.outputWidth(), null));
      }
    }
    return out;
  }

  public Builder toBuilder() {
    return new Builder().inputs(inputs).image(image).outputs(outputs).blocks(blocks).outputActivation(outputActivation).loss(loss)
        .training(training).seed(seed);
  }

  public NetworkSpec withSeed(long v) {
    return toBuilder().seed(v).build();
  }

  public NetworkSpec withTraining(TrainingSpec v) {
    return toBuilder().training(v).build();
  }

  public NetworkSpec withBlocks(List<BlockSpec> v) {
    return toBuilder().blocks(v).build();
  }

  /** Builder; defaults as documented on the record. Not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private int inputs;
    private ImageShape image;
    private int outputs;
    private List<BlockSpec> blocks = new ArrayList<>();
    private Activation outputActivation = Activation.LINEAR;
    private Loss loss = Loss.SOFTMAX_CROSS_ENTROPY;
    private TrainingSpec training = TrainingSpec.defaults();
    private long seed;

    public Builder inputs(int v) {
      inputs = v;
      return this;
    }

    /** The image shape; {@code inputs} may then be left 0. */
    public Builder image(ImageShape v) {
      image = v;
      return this;
    }

    public Builder outputs(int v) {
      outputs = v;
      return this;
    }

    public Builder blocks(List<BlockSpec> v) {
      blocks = v == null ? new ArrayList<>() : new ArrayList<>(v);
      return this;
    }

    /** Appends a block. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Builder block(BlockSpec v) {
      blocks.add(v);
      return this;
    }

    public Builder outputActivation(Activation v) {
      outputActivation = v;
      return this;
    }

    public Builder loss(Loss v) {
      loss = v;
      return this;
    }

    public Builder training(TrainingSpec v) {
      training = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public NetworkSpec build() {
      return new NetworkSpec(inputs, image, outputs, blocks, outputActivation, loss, training, seed);
    }
  }
}
