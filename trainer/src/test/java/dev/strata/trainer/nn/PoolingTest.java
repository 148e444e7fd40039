package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.GemmContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pooling, channel batch norm, concatenation, projection shortcuts and cell ops, by finite differences. */
class PoolingTest {

  @Test
  void maxAndAveragePoolingGradients() {
    int seed = 20;
    for (boolean max : new boolean[] {true, false}) {
      for (int[] g : new int[][] {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}, {2, 1, 0}}) {
        ParameterStore ps = new ParameterStore();
        Conv2dTest.check((max ? "max" : "avg") + java.util.Arrays.toString(g), new Pool2d(max, 3, 7, 9, g[0], g[1],
            g[2]), ps, 2, seed++);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new Pool2d(true, 1, 5, 5, 2, 2, 2));
  }

  /** relu(max(x)) = max(relu(x)): the moved ReLU gives the same values, and gradients equal as numbers (-0 == +0). */
  @Test
  void aReluMovedPastMaxPoolingGivesTheSameValuesAndGradients() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(41);
    for (int[] g : new int[][] {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}}) {
      int rows = 3;
      Pool2d fused = new Pool2d(true, 3, 7, 9, g[0], g[1], g[2], true);
      Pool2d plain = new Pool2d(true, 3, 7, 9, g[0], g[1], g[2]);
      ActivationLayer relu = new ActivationLayer(plain.inputWidth(), dev.strata.trainer.spec.Activation.RELU);
      for (Layer l : List.<Layer>of(fused, plain, relu)) {
        l.allocate(rows);
      }
      float[] x = GradCheck.random(rnd, rows * plain.inputWidth(), -1, 1);
      x[5] = x[6] = -0.25f; // ties among negatives: the two orders may pick different pixels, both with gradient 0
      float[] y = fused.forward(x, rows, true).clone();
      float[] expected = plain.forward(relu.forward(x, rows, true), rows, true);
      assertArrayEquals(expected, y);
      float[] dy = GradCheck.random(rnd, y.length, -1, 1);
      float[] dx = fused.backward(dy, rows).clone();
      float[] dxExpected = relu.backward(plain.backward(dy, rows), rows);
      int nonZero = 0;
      for (int i = 0; i < dx.length; i++) {
        org.junit.jupiter.api.Assertions.assertTrue(dx[i] == dxExpected[i], "dx[" + i + "]: " + dx[i] + " vs "
            + dxExpected[i]);
        nonZero += dx[i] != 0 ? 1 : 0;
      }
      org.junit.jupiter.api.Assertions.assertTrue(nonZero > y.length / 4, "gradients reach the positive maxima");
    }
    assertThrows(IllegalArgumentException.class, () -> new Pool2d(false, 1, 5, 5, 2, 2, 0, true));
  }

  @Test
  void globalAveragePoolingGradient() {
    Conv2dTest.check("gap", new GlobalAvgPool(5, 21), new ParameterStore(), 3, 30);
  }

  @Test
  void channelBatchNormGradient() {
    ParameterStore ps = new ParameterStore();
    ParameterStore st = new ParameterStore();
    BatchNorm bn = new BatchNorm("bn", 5, 7 * 3, ps, st);
    st.allocate(false);
    ps.allocate(true);
    bn.allocate(3);
    bn.initialize(Conv2dTest.INIT, null);
    float[] p = ps.values();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(31);
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (0.5 + rnd.nextDouble());
    }
    float[] x = GradCheck.random(rnd, 3 * bn.inputWidth(), -2, 2);
    GradCheck.checkLayer("channel batchnorm", bn, ps, x, 3, 31);
    float[] eval = bn.forward(x, 3, false).clone(); // inference: running statistics, channel by channel
    float[] s = st.values();
    for (int c = 0; c < 5; c++) {
      float sc = p[c] / (float) Math.sqrt(s[5 + c] + 1e-5f);
      float v = Math.fma(x[c * 21 + 4], sc, p[5 + c] - s[c] * sc);
      org.junit.jupiter.api.Assertions.assertEquals(v, eval[c * 21 + 4], 1e-6);
    }
  }

  /** ResNet's downsampling unit (tanh for ReLU: a smooth function for finite differences). */
  @Test
  void residualWithStridedProjection() {
    ParameterStore ps = new ParameterStore();
    ParameterStore st = new ParameterStore();
    GemmContext g = GemmContext.of(1);
    ConvShape a = ConvShape.of(3, 7, 7, 5, 3, 2, true, 1, 1);
    ConvShape b = ConvShape.of(5, 4, 4, 5, 3, 1, true, 1, 1);
    Sequential branch = new Sequential(a.inSize(), List.of(new Conv2d("a", a, false, ps, g),
        new BatchNorm("bna", 5, 16, ps, st), new ActivationLayer(80, dev.strata.trainer.spec.Activation.TANH),
        new Conv2d("b", b, false, ps, g), new BatchNorm("bnb", 5, 16, ps, st)));
    Sequential proj = new Sequential(a.inSize(), List.of(
        new Conv2d("p", ConvShape.of(3, 7, 7, 5, 1, 2, false, 1, 1), false, ps, g), new BatchNorm("bnp", 5, 16, ps, st)));
    Residual r = new Residual(branch, proj, null, new ActivationLayer(80, dev.strata.trainer.spec.Activation.TANH));
    st.allocate(false);
    Conv2dTest.check("residual", r, ps, 3, 40);
  }

  /** An inception unit on images: the row-wise concatenation of NCHW rows is the channel concatenation. */
  @Test
  void inceptionConcatenatesChannels() {
    ParameterStore ps = new ParameterStore();
    GemmContext g = GemmContext.of(1);
    Layer b1 = new Conv2d("b1", ConvShape.of(3, 5, 5, 2, 1, 1, false, 1, 1), true, ps, g);
    Layer b2 = new Sequential(75, List.of(new Conv2d("b2a", ConvShape.of(3, 5, 5, 2, 1, 1, false, 1, 1), true, ps, g),
        new Conv2d("b2b", ConvShape.of(2, 5, 5, 3, 3, 1, true, 1, 1), true, ps, g)));
    Layer b3 = new Sequential(75, List.of(new Pool2d(true, 3, 5, 5, 3, 1, 1),
        new Conv2d("b3", ConvShape.of(3, 5, 5, 1, 1, 1, false, 1, 1), true, ps, g)));
    Inception inc = new Inception(List.of(b1, b2, b3), null, null);
    org.junit.jupiter.api.Assertions.assertEquals(6 * 25, inc.outputWidth());
    Conv2dTest.check("inception", inc, ps, 2, 50);
  }

  @Test
  void zeroAndIdentityOps() {
    CellOp id = CellOp.identity(4);
    CellOp zero = CellOp.zero(4);
    id.allocate(2);
    zero.allocate(2);
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    assertSame(x, id.forward(x, 2, true));
    assertSame(x, id.backward(x, 2));
    assertArrayEquals(new float[8], zero.forward(x, 2, true));
    assertArrayEquals(new float[8], zero.backward(x, 2));
  }
}
