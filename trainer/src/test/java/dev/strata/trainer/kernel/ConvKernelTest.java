package dev.strata.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The unfold + GEMM convolution against the direct scalar twin, bit for bit, on odd shapes. */
class ConvKernelTest {

  /** Odd sides, channel counts off the vector width, stride 2 on odd sizes, dilation with padding, groups. */
  static final List<ConvShape> SHAPES = List.of(
      ConvShape.of(3, 9, 7, 5, 3, 1, true, 1, 1),
      ConvShape.of(3, 9, 7, 5, 3, 2, true, 1, 1),
      ConvShape.of(2, 11, 9, 7, 5, 1, true, 2, 1),
      ConvShape.of(2, 11, 13, 3, 7, 2, true, 1, 1),
      ConvShape.of(5, 7, 9, 3, 3, 1, false, 1, 1),
      ConvShape.of(4, 9, 9, 6, 3, 2, false, 2, 2),
      ConvShape.of(6, 7, 5, 6, 3, 1, true, 1, 6),
      ConvShape.of(6, 9, 9, 6, 5, 2, true, 2, 6),
      ConvShape.of(5, 7, 9, 17, 1, 1, false, 1, 1),
      ConvShape.of(5, 7, 9, 3, 1, 2, false, 1, 1),
      ConvShape.of(4, 8, 7, 6, 1, 3, false, 1, 1), // 1x1 at stride 3: one phase of nine has taps
      new ConvShape(3, 7, 8, 4, 1, 2, 1, 1, 1), // padded 1x1 at stride 2: the taps fall on odd pixels
      ConvShape.of(1, 9, 7, 16, 3, 2, true, 1, 1), // fewer taps than output channels: dW formed transposed
      ConvShape.of(20, 12, 12, 33, 3, 1, true, 1, 1), // large enough for the packed GEMM path
      ConvShape.of(3, 8, 10, 5, 3, 3, true, 1, 1), // stride 3: nine phase planes
      new ConvShape(2, 7, 6, 3, 3, 2, 3, 1, 1), // padding past the window: taps that see only zeros
      new ConvShape(2, 9, 8, 4, 3, 1, 0, 3, 2), // dilation 3 without padding, groups
      ConvShape.of(16, 14, 14, 32, 3, 2, true, 1, 1)); // (f)'s downsampling shape

  static float[] random(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }

  @Test
  void forwardMatchesTheDirectConvolutionBitForBit() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (ConvShape s : SHAPES) {
      for (boolean bias : new boolean[] {false, true}) {
        int rows = 3;
        float[] x = random(rnd, rows * s.inSize() + 2);
        float[] w = random(rnd, s.weightCount() + 1);
        float[] b = random(rnd, s.outChannels() + 3);
        float[] y = new float[rows * s.outSize() + 4];
        float[] ref = new float[y.length];
        ConvKernel.forward(GemmContext.of(1), s, rows, x, 2, w, 1, bias ? b : null, 3, y, 4,
            new float[ConvKernel.colSize(s)]);
        ImageScalarKernels.convForward(s, rows, x, 2, w, 1, bias ? b : null, 3, ref, 4);
        assertArrayEquals(ref, y, s + " bias " + bias);
      }
    }
  }

  @Test
  void backwardMatchesTheDirectConvolutionBitForBit() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (ConvShape s : SHAPES) {
      assertBackwardMatchesTheTwin(rnd, s, 3, true);
    }
  }

  /** Gradients of {@code rows} random samples against {@link ImageScalarKernels#convBackward}, bit for bit. */
  private static void assertBackwardMatchesTheTwin(SplittableRandom rnd, ConvShape s, int rows, boolean inputGradient) {
    float[] x = random(rnd, rows * s.inSize());
    float[] w = random(rnd, s.weightCount());
    float[] dy = random(rnd, rows * s.outSize());
    float[] dw = random(rnd, s.weightCount()); // overwritten, not accumulated
    float[] db = random(rnd, s.outChannels());
    float[] dx = inputGradient ? random(rnd, rows * s.inSize()) : null;
    float[] dwRef = new float[dw.length];
    float[] dbRef = new float[db.length];
    float[] dxRef = inputGradient ? new float[dx.length] : null;
    ConvKernel.backward(GemmContext.of(1), s, rows, x, 0, dy, 0, w, 0, dw, 0, db, 0, dx, 0,
        new float[ConvKernel.colSize(s)], new float[ConvKernel.dcolSize(s)], new float[ConvKernel.workSize(s)]);
    ImageScalarKernels.convBackward(s, rows, x, 0, dy, 0, w, 0, dwRef, 0, dbRef, 0, dxRef, 0);
    assertArrayEquals(dwRef, dw, s + " dW");
    assertArrayEquals(dbRef, db, s + " db");
    if (inputGradient) {
      assertArrayEquals(dxRef, dx, s + " dx");
    }
  }

  /**
   * The weight gradient is formed for a chunk of samples at a time (their lanes kept in registers);
   * batches of several chunks, a short last chunk, and a shape so wide that a chunk is one sample
   * give the bits of the direct convolution.
   */
  @Test
  void backwardOverSeveralChunksOfSamplesMatchesBitForBit() {
    SplittableRandom rnd = new SplittableRandom(4);
    for (ConvShape s : List.of(ConvShape.of(40, 15, 15, 5, 3, 1, true, 1, 1),
        ConvShape.of(40, 15, 15, 5, 3, 2, true, 1, 1), ConvShape.of(150, 30, 30, 2, 3, 1, true, 1, 1))) {
      int chunk = ConvKernel.chunk(s);
      int rows = chunk + 3;
      assertEquals(s.inChannels() == 150, chunk == 1, s + " has " + chunk + " samples per chunk");
      assertBackwardMatchesTheTwin(rnd, s, rows, false);
    }
  }

  @Test
  void twoThreadsGiveTheSameBitsAsOne() {
    ConvShape s = ConvShape.of(16, 28, 28, 32, 3, 1, true, 1, 1);
    SplittableRandom rnd = new SplittableRandom(3);
    int rows = 2;
    float[] x = random(rnd, rows * s.inSize());
    float[] w = random(rnd, s.weightCount());
    float[] dy = random(rnd, rows * s.outSize());
    float[][] dw = new float[2][s.weightCount()];
    float[][] dx = new float[2][rows * s.inSize()];
    float[][] y = new float[2][rows * s.outSize()];
    for (int t = 0; t < 2; t++) {
      GemmContext ctx = GemmContext.of(t + 1);
      float[] col = new float[ConvKernel.colSize(s)];
      ConvKernel.forward(ctx, s, rows, x, 0, w, 0, null, 0, y[t], 0, col);
      ConvKernel.backward(ctx, s, rows, x, 0, dy, 0, w, 0, dw[t], 0, null, 0, dx[t], 0, col,
          new float[ConvKernel.dcolSize(s)], new float[ConvKernel.workSize(s)]);
    }
    assertArrayEquals(y[0], y[1]);
    assertArrayEquals(dw[0], dw[1]);
    assertArrayEquals(dx[0], dx[1]);
  }

  @Test
  void shapeArithmeticAndChecks() {
    ConvShape s = ConvShape.of(1, 28, 28, 16, 3, 2, true, 1, 1);
    assertEquals(14, s.outHeight());
    assertEquals(13, ConvShape.of(1, 27, 27, 1, 3, 2, false, 1, 1).outWidth());
    assertEquals(9, ConvShape.of(1, 9, 9, 1, 3, 1, true, 2, 1).outHeight()); // dilated same keeps the size
    assertThrows(IllegalArgumentException.class, () -> ConvShape.of(3, 8, 8, 4, 3, 1, true, 1, 2));
    assertThrows(IllegalArgumentException.class, () -> ConvShape.of(1, 4, 4, 1, 7, 1, false, 1, 1));
  }
}
