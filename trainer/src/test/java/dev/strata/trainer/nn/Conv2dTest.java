package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.trainer.init.Rngs;
import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.spec.WeightInit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of the convolution layers at odd shapes. */
class Conv2dTest {

  static final Layer.Init INIT = new Layer.Init(WeightInit.heNormal(), 0.1);

  static void check(String what, Layer layer, ParameterStore ps, int rows, long seed) {
    ps.allocate(true);
    layer.allocate(rows);
    layer.initialize(INIT, Rngs.of(seed, 1));
    float[] x = GradCheck.random(new SplittableRandom(seed), rows * layer.inputWidth(), -1, 1);
    GradCheck.checkLayer(what, layer, ps, x, rows, seed);
  }

  static void conv(ConvShape s, boolean bias, long seed) {
    ParameterStore ps = new ParameterStore();
    check(s + " bias " + bias, new Conv2d("c", s, bias, ps, GemmContext.of(1)), ps, 2, seed);
  }

  @Test
  void kernelSizesAndPaddingOnOddImages() {
    conv(ConvShape.of(3, 7, 5, 5, 1, 1, true, 1, 1), true, 1);
    conv(ConvShape.of(3, 7, 5, 5, 3, 1, true, 1, 1), true, 2);
    conv(ConvShape.of(2, 9, 7, 3, 5, 1, false, 1, 1), false, 3);
    conv(ConvShape.of(2, 9, 9, 3, 7, 1, true, 1, 1), true, 4);
  }

  @Test
  void strideTwoOnOddSizesAndDilationWithPadding() {
    conv(ConvShape.of(3, 7, 9, 5, 3, 2, true, 1, 1), true, 5);
    conv(ConvShape.of(3, 9, 7, 4, 3, 1, true, 2, 1), false, 6);
    conv(ConvShape.of(2, 11, 9, 3, 5, 2, true, 2, 1), true, 7);
    conv(ConvShape.of(5, 7, 7, 9, 1, 2, false, 1, 1), false, 8); // the 1x1 stride-2 projection
  }

  @Test
  void groupsAndDepthwise() {
    conv(ConvShape.of(4, 7, 5, 6, 3, 1, true, 1, 2), true, 9);
    conv(ConvShape.of(5, 7, 7, 5, 3, 2, true, 1, 5), false, 10);
  }

  @Test
  void separableIsDepthwiseThenPointwise() {
    ParameterStore ps = new ParameterStore();
    Sequential sep = Conv2d.separable("s", ConvShape.of(3, 7, 7, 3, 3, 1, true, 1, 3), 5, true, ps,
        GemmContext.of(1));
    assertEquals(3 * 49, sep.inputWidth());
    assertEquals(5 * 49, sep.outputWidth());
    assertEquals(3 * 9 + 5 * 3 + 5, ps.size());
    check("separable", sep, ps, 2, 11);
  }

  @Test
  void countsParametersAndFlops() {
    ParameterStore ps = new ParameterStore();
    Conv2d c = new Conv2d("c", ConvShape.of(1, 28, 28, 16, 3, 1, true, 1, 1), true, ps, GemmContext.of(1));
    assertEquals(16 * 9 + 16, ps.size());
    assertEquals(2L * 16 * 9 * 784 + 16 * 784, c.flopsPerSample());
  }
}
