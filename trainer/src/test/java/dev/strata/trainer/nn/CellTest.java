package dev.strata.trainer.nn;

import static dev.strata.trainer.spec.CellOpType.AVG_POOL_3X3;
import static dev.strata.trainer.spec.CellOpType.CONV_1X1;
import static dev.strata.trainer.spec.CellOpType.CONV_3X3;
import static dev.strata.trainer.spec.CellOpType.DIL_CONV_3X3;
import static dev.strata.trainer.spec.CellOpType.NONE;
import static dev.strata.trainer.spec.CellOpType.SEP_CONV_3X3;
import static dev.strata.trainer.spec.CellOpType.SKIP_CONNECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.CellBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.SpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NAS cells: gradients at odd sizes for every operation, pruning of dead edges, the benchmark's names. */
class CellTest {

  private static NetworkSpec cellNet(ImageShape in, CellBlock... cells) {
    List<dev.strata.trainer.spec.BlockSpec> blocks = new java.util.ArrayList<>();
    blocks.add(ConvNetworkTest.conv(3, 3, Activation.TANH));
    blocks.addAll(List.of(cells));
    blocks.add(PoolBlock.global());
    return ConvNetworkTest.spec(in, Activation.TANH, blocks.toArray(dev.strata.trainer.spec.BlockSpec[]::new));
  }

  @Test
  void gradientsThroughEveryOperationAtOddSizes() {
    // 4 nodes over every op but max pooling (its argmax flips under a finite-difference step; its
    // gradient is checked in PoolingTest); tanh before the convolutions, as ReLU's kink would flip too
    ConvNetworkTest.checkNetwork("cell", cellNet(ImageShape.of(2, 7, 5),
        CellBlock.of(CONV_3X3, SKIP_CONNECT, CONV_1X1, SEP_CONV_3X3, AVG_POOL_3X3, DIL_CONV_3X3)
            .withActivation(Activation.TANH)));
    ConvNetworkTest.checkNetwork("parameter-free cell", cellNet(ImageShape.of(2, 7, 5),
        CellBlock.of(SKIP_CONNECT, AVG_POOL_3X3, SKIP_CONNECT)));
  }

  @Test
  void twoStackedCellsAndAResidualReductionAsInNasBench201() {
    NetworkSpec s = ConvNetworkTest.spec(ImageShape.of(1, 9, 9), Activation.TANH,
        ConvNetworkTest.conv(3, 3, Activation.TANH),
        new CellBlock(3, List.of(CONV_3X3, SKIP_CONNECT, CONV_1X1), Activation.TANH, 2),
        new ConvResidualBlock(4, 3, 2, true, Activation.TANH, 1, null),
        CellBlock.of(SKIP_CONNECT, CONV_3X3, AVG_POOL_3X3).withActivation(Activation.TANH), PoolBlock.global());
    ConvNetworkTest.checkNetwork("stacked", s);
  }

  @Test
  void deadEdgesAreNotBuiltAndAnUnreachableOutputIsAnError() {
    ImageShape in = ImageShape.of(1, 6, 6);
    // node 1 feeds nothing live (its only way out is 'none'), so edge (0,1) is dead
    NetworkSpec dead = cellNet(in, CellBlock.of(CONV_3X3, CONV_3X3, NONE));
    NetworkSpec direct = cellNet(in, CellBlock.of(NONE, CONV_3X3, NONE));
    assertEquals(Network.of(direct).parameterCount(), Network.of(dead).parameterCount(),
        "the dead conv adds no weights");
    SpecException e = assertThrows(SpecException.class, () -> CellBlock.of(CONV_3X3, NONE, NONE));
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    SpecException count = assertThrows(SpecException.class,
        () -> new CellBlock(4, List.of(CONV_3X3, NONE, NONE), Activation.RELU, 1));
    assertTrue(count.getMessage().contains("has 6 edges"), count.getMessage());
  }

  @Test
  void aNasBench201CellHasItsStringAndParsesFromJson() throws Exception {
    CellBlock c = CellBlock.of(CONV_3X3, NONE, SKIP_CONNECT, CONV_1X1, AVG_POOL_3X3, CONV_3X3);
    assertEquals("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_3x3~2|",
        c.nasBench201().orElseThrow());
    assertTrue(CellBlock.of(SEP_CONV_3X3, SKIP_CONNECT, CONV_3X3).nasBench201().isEmpty(), "not a 4-node cell");
    NetworkSpec s = NetworkSpecs.fromJson("""
        {"image": {"channels": 1, "height": 8, "width": 8}, "outputs": 2, "blocks": [
          {"type": "conv", "filters": 4, "kernel": 3},
          {"type": "cell", "edges": ["nor_conv_3x3", "none", "skip_connect", "conv_1x1", "avg_pool_3x3", "conv_3x3"]},
          {"type": "pool", "mode": "global"}]}""");
    assertEquals(c, s.blocks().get(1));
    assertEquals(s, NetworkSpecs.fromJson(NetworkSpecs.toJson(s)), "round trip");
    SpecException bad = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"image": {"channels": 1, "height": 8, "width": 8}, "outputs": 2, "blocks": [
          {"type": "cell", "edges": ["conv_3x3", "skip_conect", "conv_3x3"]}]}"""));
    assertTrue(bad.getMessage().contains("skip_connect"), bad.getMessage());
  }
}
