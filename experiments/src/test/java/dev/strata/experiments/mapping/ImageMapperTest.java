package dev.strata.experiments.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.CellBlock;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.PoolBlock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Convolutional configurations: cells, stages and image blocks become networks that build; mistakes are rejected with their place. */
class ImageMapperTest {

  private static final ImageShape IMAGE = ImageShape.of(1, 12, 12);
  private final NetworkMapper mapper = new NetworkMapper(IMAGE, IMAGE.size(), 10, true, Set.of());

  private NetworkSpec network(Map<String, Object> values) {
    Mapping m = mapper.map(Configuration.of(values), 3, 0);
    if (m instanceof Mapping.Rejected r) {
      throw new AssertionError("rejected: " + r.reason());
    }
    NetworkSpec spec = ((Mapping.Network) m).spec();
    assertTrue(Network.of(spec).parameterCount() > 0);
    return spec;
  }

  private String rejected(Map<String, Object> values) {
    return assertInstanceOf(Mapping.Rejected.class, mapper.map(Configuration.of(values), 3, 0)).reason();
  }

  private static List<Map<String, Object>> edges(String... ops) {
    return java.util.Arrays.stream(ops).map(op -> Map.<String, Object>of("op", op)).toList();
  }

  private static List<Class<?>> kinds(NetworkSpec spec) {
    return spec.blocks().stream().<Class<?>>map(BlockSpec::getClass).toList();
  }

  @Test
  void aCellConfigurationBecomesStemStagesOfCellsReductionsAndPooling() {
    NetworkSpec spec = network(Map.of("edges", edges("nor_conv_3x3", "none", "skip_connect", "conv_1x1",
        "avg_pool_3x3", "conv_3x3"), "stem", 8, "cellRepeat", 1, "cellStages", 2, "learningRate", 0.05));
    assertEquals(List.of(ConvBlock.class, CellBlock.class, ConvResidualBlock.class, CellBlock.class, PoolBlock.class),
        kinds(spec));
    assertEquals(16, ((ConvResidualBlock) spec.blocks().get(2)).filters(), "channels double at the reduction");
    assertEquals("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_3x3~2|",
        ((CellBlock) spec.blocks().get(1)).nasBench201().orElseThrow());
    assertEquals(IMAGE, spec.image());
  }

  @Test
  void aCellWithoutAPathIsRejectedWithTheReason() {
    Mapping.Rejected r = assertInstanceOf(Mapping.Rejected.class, mapper.map(Configuration.of(
        Map.of("edges", edges("conv_3x3", "none", "none", "none", "none", "none"))), 3, 0));
    assertTrue(r.reason().contains("unreachable"), r.reason());
    assertTrue(r.inSpace(), "a cell the space rightly holds, not a mistake in it: validate lets it pass");
    assertEquals("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", NetworkMapper.nasBench201(
        Configuration.of(Map.of("edges", edges("conv_3x3", "none", "none", "none", "none", "none")))).orElseThrow(),
        "named even when it cannot train: the published tables list it");
    assertTrue(NetworkMapper.nasBench201(Configuration.of(Map.of("edges", edges("sep_conv_3x3", "none", "none",
        "none", "none", "conv_3x3")))).isEmpty(), "not NAS-Bench-201's operations");
    assertTrue(rejected(Map.of("edges", edges("conv_3x3", "conv_5x5", "none"))).contains("conv_5x5"));
    assertTrue(rejected(Map.of("edges", edges("conv_3x3", "none", "none", "skip_connect"))).contains("4 edges"));
  }

  @Test
  void stagesDownsampleBetweenThemAndTheirBlocksTakeTheStagesFilters() {
    NetworkSpec spec = network(Map.of("stem", 8, "stages", List.of(
        Map.of("filters", 8, "blocks", List.of(Map.of("type", "conv_residual"), Map.of("type", "conv", "kernel", 5))),
        Map.of("filters", 16, "blocks", List.of(Map.of("type", "conv_inception", "branches",
            List.of(Map.of("kind", "1x1"), Map.of("kind", "3x3", "filters", 8), Map.of("kind", "pool"))))))));
    assertEquals(List.of(ConvBlock.class, ConvResidualBlock.class, ConvBlock.class, ConvResidualBlock.class,
        ConvInceptionBlock.class, PoolBlock.class), kinds(spec));
    ConvResidualBlock down = (ConvResidualBlock) spec.blocks().get(3);
    assertEquals(2, down.stride());
    assertEquals(16, down.filters());
    assertEquals(5, ((ConvBlock) spec.blocks().get(2)).kernel());
  }

  @Test
  void aStrideTwoStemHalvesTheResolutionOfEveryStage() {
    NetworkSpec spec = network(Map.of("stem", 8, "stemStride", 2, "stages", List.of(
        Map.of("filters", 8, "blocks", List.of(Map.of("type", "conv"))))));
    assertEquals(2, ((ConvBlock) spec.blocks().get(0)).stride());
    assertEquals(1, ((ConvBlock) network(Map.of("stem", 8, "stages", List.of(
        Map.of("filters", 8, "blocks", List.of(Map.of("type", "conv")))))).blocks().get(0)).stride());
    assertTrue(rejected(Map.of("stemStride", 3, "blocks", List.of(Map.of("type", "conv", "filters", 8))))
        .contains("stemStride: must be 1 or 2"));
    assertTrue(rejected(Map.of("stem", 0, "stemStride", 2, "blocks", List.of(Map.of("type", "conv", "filters", 8))))
        .contains("no stem to stride"));
  }

  @Test
  void aStageSmallerThanItsKernelIsAMistakeInTheSpace() {
    Map<String, Object> stage = Map.of("filters", 8, "blocks", List.of(Map.of("type", "conv")));
    network(Map.of("stages", List.of(stage, stage, stage))); // 12, 6, 3: a 3x3 kernel fits
    Mapping.Rejected r = assertInstanceOf(Mapping.Rejected.class, mapper.map(Configuration.of(
        Map.of("stages", List.of(stage, stage, stage, stage))), 3, 0));
    assertEquals("stages/3: stage 4 of 4 runs at 2x2 (the 12x12 image after 3 stride-2 reductions), smaller than"
        + " the 3x3 kernel of blocks/0; allow fewer stages or use smaller kernels", r.reason());
    assertTrue(!r.inSpace(), "validate reports it: the space asks for a network that cannot be what it says");
    assertTrue(rejected(Map.of("stemStride", 2, "stages", List.of(stage, stage, stage))).startsWith(
        "stages/2: stage 3 of 3 runs at 2x2 (the 12x12 image after a stride-2 stem and 2 stride-2 reductions)"));
    assertTrue(rejected(Map.of("stages", List.of(stage, stage, Map.of("filters", 8, "blocks", List.of(Map.of("type",
        "conv_inception", "branches", List.of(Map.of("kind", "5x5"))))))))
        .contains("smaller than the 5x5 kernel"), "an inception branch's window counts");
  }

  @Test
  void imageBlocksInTheBlocksGroupGetAStemAndAHeadAndMayFeedDenseBlocks() {
    NetworkSpec spec = network(Map.of("blocks", List.of(Map.of("type", "conv", "filters", 8),
        Map.of("type", "pool", "size", 2), Map.of("type", "plain", "width", 16))));
    assertEquals(List.of(ConvBlock.class, ConvBlock.class, PoolBlock.class, PoolBlock.class, PlainBlock.class),
        kinds(spec));
    assertEquals(PoolBlock.global(), spec.blocks().get(3));
  }

  @Test
  void mistakesAreRejectedWithTheirPlace() {
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("type", "pool", "filters", 8)))).startsWith(
        "blocks/0: 'filters' does not apply to a pool block"));
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("type", "conv")))).contains("blocks/0: missing 'filters'"));
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("type", "plain", "width", 8), Map.of("type", "conv",
        "filters", 8)))).contains("cannot follow a dense block"));
    assertTrue(rejected(Map.of("stages", List.of(Map.of("filters", 0, "blocks", List.of())))).contains(
        "stages/0/filters must be a whole number >= 1"));
    String flat = assertInstanceOf(Mapping.Rejected.class, new NetworkMapper(64, 10, true).map(Configuration.of(
        Map.of("blocks", List.of(Map.of("type", "conv", "filters", 8)))), 1, 0)).reason();
    assertTrue(flat.contains("needs image data"), flat);
    assertTrue(rejected(Map.of("blocks", List.of(Map.of("type", "pool", "size", 16)))).contains("does not fit"),
        "a window larger than the image");
  }
}
