package dev.strata.experiments.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.Augmentation;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.WeightInit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkMapperTest {

  private final NetworkMapper mapper = new NetworkMapper(64, 10, true);

  private NetworkSpec network(Map<String, Object> values) {
    Mapping m = mapper.map(Configuration.of(values), 5, 0);
    return assertInstanceOf(Mapping.Network.class, m, m.toString()).spec();
  }

  private String rejected(Map<String, Object> values) {
    Mapping m = mapper.map(Configuration.of(values), 5, 0);
    return assertInstanceOf(Mapping.Rejected.class, m, m.toString()).reason();
  }

  @Test
  void blocksAndTrainingParametersMap() {
    NetworkSpec spec = network(Map.of(
        "blocks", List.of(
            Map.of("type", "plain", "width", 32, "layers", 2, "activation", "tanh", "batchNorm", true),
            Map.of("type", "residual", "width", 64, "activation", "relu", "preActivation", true, "dropout", 0.1),
            Map.of("type", "inception", "width", 16, "branches", 3, "activation", "elu")),
        "optimizer", "momentum", "learningRate", 0.01, "batchSize", 64, "init", "he", "l2", 1e-4, "epochs", 7));
    assertEquals(64, spec.inputs());
    assertEquals(10, spec.outputs());
    assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, spec.loss());
    assertEquals(5, spec.seed());
    assertEquals(new PlainBlock(32, 2, Activation.TANH, null, true), spec.blocks().get(0));
    assertEquals(new ResidualBlock(64, 2, Activation.RELU, 0.1, false, true), spec.blocks().get(1));
    InceptionBlock inception = assertInstanceOf(InceptionBlock.class, spec.blocks().get(2));
    assertEquals(3, inception.branches().size());
    assertEquals(48, inception.outputWidth());
    assertEquals(OptimizerType.MOMENTUM, spec.training().optimizer());
    assertEquals(0.01, spec.training().learningRate());
    assertEquals(64, spec.training().batchSize());
    assertEquals(7, spec.training().epochs());
    assertEquals(1e-4, spec.training().weightDecay());
    assertInstanceOf(WeightInit.HeNormal.class, spec.training().init());
  }

  @Test
  void maxEpochsOverridesAndAFlatNetworkNeedsNoGroup() {
    Mapping m = mapper.map(Configuration.of(Map.of("depth", 3, "width", 20, "type", "residual", "epochs", 30)), 1, 4);
    NetworkSpec spec = assertInstanceOf(Mapping.Network.class, m).spec();
    assertEquals(3, spec.blocks().size());
    assertEquals(4, spec.training().epochs());
    assertInstanceOf(ResidualBlock.class, spec.blocks().getFirst());
  }

  @Test
  void unknownOrContradictoryCombinationsAreRejectedWithAReason() {
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("width", 32, "activation", "relu6"))))
        .contains("unknown activation 'relu6'"));
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("width", 0)))).contains("width must be a whole number >= 1"));
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("type", "plain", "width", 8, "branches", 2))))
        .contains("only applies to inception"));
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("type", "conv", "width", 8)))).contains("needs image data"));
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("type", "con", "width", 8)))).contains("unknown block type"));
    assertTrue(rejected(Map.of("learningRat", 0.1)).contains("did you mean 'learningRate'"));
    assertTrue(rejected(Map.of("optimizer", "adamm")).contains("did you mean 'adam'"));
    assertTrue(rejected(Map.of("l2", 0.1, "weightDecay", 0.1)).contains("same thing"));
    assertTrue(rejected(Map.of("dropout", 1.5)).contains("dropout must be in [0, 1)"));
  }

  @Test
  void regressionUsesMseWithOneOutputPerTarget() {
    Mapping m = new NetworkMapper(3, 2, false).map(Configuration.of(Map.of("width", 8)), 1, 0);
    NetworkSpec spec = assertInstanceOf(Mapping.Network.class, m).spec();
    assertEquals(Loss.MSE, spec.loss());
    assertEquals(2, spec.outputs());
  }

  @Test
  void augmentOnImageDataIsCropAndFlipByDefaultAndOffWhenFalse() {
    ImageShape image = ImageShape.of(1, 8, 8);
    NetworkMapper images = new NetworkMapper(image, image.size(), 3, true, java.util.Set.of());
    java.util.function.Function<Map<String, Object>, Mapping> map = v -> images.map(Configuration.of(v), 5, 0);
    List<Map<String, Object>> blocks = List.of(Map.of("type", "conv", "filters", 4));
    NetworkSpec on = assertInstanceOf(Mapping.Network.class, map.apply(Map.of("blocks", blocks, "augment", true)))
        .spec();
    assertEquals(new Augmentation(4, true), on.training().augment(), "the CIFAR recipe: 4 pixels of padding, flips");
    assertEquals(null, assertInstanceOf(Mapping.Network.class, map.apply(Map.of("blocks", blocks, "augment", false)))
        .spec().training().augment(), "a searchable on/off: false is no augmentation");
    assertEquals(new Augmentation(2, false), assertInstanceOf(Mapping.Network.class, map.apply(Map.of("blocks", blocks,
        "augment", true, "augmentCrop", 2, "augmentFlip", false))).spec().training().augment());
    assertEquals(new Augmentation(0, true), assertInstanceOf(Mapping.Network.class, map.apply(Map.of("blocks", blocks,
        "augment", true, "augmentCrop", 0))).spec().training().augment());
    assertTrue(assertInstanceOf(Mapping.Rejected.class, map.apply(Map.of("blocks", blocks, "augment", false,
        "augmentCrop", 2))).reason().contains("'augmentCrop' needs \"augment\": true"));
    assertTrue(assertInstanceOf(Mapping.Rejected.class, map.apply(Map.of("blocks", blocks, "augment", true,
        "augmentCrop", 0, "augmentFlip", false))).reason().contains("nothing to augment"));
    assertTrue(assertInstanceOf(Mapping.Rejected.class, map.apply(Map.of("blocks", blocks, "augment", "yes")))
        .reason().startsWith("augment must be true or false"));
  }

  @Test
  void augmentOnFlatFeaturesIsRejectedWithTheReasonButFalseIsHarmless() {
    assertTrue(rejected(Map.of("width", 8, "augment", true)).contains("needs image data"));
    assertEquals(null, network(Map.of("width", 8, "augment", false)).training().augment());
  }
}
