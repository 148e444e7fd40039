package dev.strata.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoolKernelTest {

  static final ConvShape[] SHAPES = {
      new ConvShape(3, 7, 9, 3, 2, 2, 0, 1, 3), new ConvShape(3, 7, 9, 3, 3, 2, 1, 1, 3),
      new ConvShape(5, 5, 5, 5, 3, 1, 1, 1, 5), new ConvShape(2, 8, 6, 2, 2, 1, 1, 1, 2),
      new ConvShape(1, 9, 9, 1, 3, 3, 0, 1, 1), new ConvShape(4, 9, 7, 4, 2, 2, 0, 1, 4)};

  @Test
  void theUnrolledTwoByTwoPathAgreesWithTheGeneralWalk() {
    ConvShape two = new ConvShape(2, 5, 7, 2, 2, 2, 0, 1, 2);
    float[] x = ConvKernelTest.random(new SplittableRandom(9), 2 * two.inSize());
    x[8] = Float.NaN;
    x[40] = Float.NEGATIVE_INFINITY;
    x[41] = Float.NEGATIVE_INFINITY;
    x[47] = Float.NEGATIVE_INFINITY;
    x[48] = Float.NEGATIVE_INFINITY;
    // ties: a window of equal zeros, one of -0 and +0 (the first wins, with its sign), a NaN in the
    // bottom row, two NaNs in one window (the first wins)
    x[14] = x[15] = x[21] = x[22] = 0f;
    x[16] = -0f;
    x[17] = 0f;
    x[23] = -0f;
    x[24] = 0f;
    x[25] = 5f;
    x[26] = Float.NaN;
    x[71] = Float.NaN;
    x[77] = Float.NaN;
    x[72] = 3f;
    x[73] = 3f;
    x[79] = 3f;
    float[] y = new float[2 * two.outSize()];
    int[] arg = new int[y.length];
    PoolKernel.maxForward(two, 2, x, 0, y, 0, arg);
    // the same window walk with a 2x2 window padded by nothing, via a 3x3 shape's general code is not
    // comparable; check against the definition, with argmax the first maximum in row-major order
    for (int n = 0, o = 0; n < 2; n++) {
      for (int c = 0; c < 2; c++) {
        for (int oy = 0; oy < 2; oy++) {
          for (int ox = 0; ox < 3; ox++, o++) {
            int best = -1;
            for (int i = 0; i < 2 && (best < 0 || !Float.isNaN(x[n * 70 + best])); i++) {
              for (int j = 0; j < 2; j++) {
                int at = c * 35 + (2 * oy + i) * 7 + 2 * ox + j;
                float v = x[n * 70 + at];
                if (best < 0 || v > x[n * 70 + best] || Float.isNaN(v)) {
                  best = at;
                  if (Float.isNaN(v)) {
                    break;
                  }
                }
              }
            }
            org.junit.jupiter.api.Assertions.assertEquals(best, arg[o], "argmax " + o);
            org.junit.jupiter.api.Assertions.assertEquals(x[n * 70 + best], y[o], "max " + o);
          }
        }
      }
    }
  }

  @Test
  void theVectorTwoByTwoPathTakesTheFirstMaximumOnWideAndOddRows() {
    // rows of 28 (the LeNet plane), 37 (odd: the last column is in no window) and 9 (one masked
    // vector at every width), with ties at 0 as after a ReLU, both zeros, infinities and NaNs of
    // both signs
    ConvShape[] shapes = {new ConvShape(3, 6, 28, 3, 2, 2, 0, 1, 3), new ConvShape(2, 7, 37, 2, 2, 2, 0, 1, 2),
        new ConvShape(1, 4, 9, 1, 2, 2, 0, 1, 1)};
    SplittableRandom rnd = new SplittableRandom(21);
    float[] special = {0f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0xffc00001), 1f};
    for (ConvShape s : shapes) {
      int rows = 3;
      float[] x = ConvKernelTest.random(rnd, rows * s.inSize());
      for (int i = 0; i < x.length; i++) {
        int u = rnd.nextInt(10);
        if (u < 3) {
          x[i] = Math.max(0f, x[i]);
        } else if (u == 3) {
          x[i] = special[rnd.nextInt(special.length)];
        }
      }
      float[] y = new float[rows * s.outSize()];
      int[] arg = new int[y.length];
      PoolKernel.maxForward(s, rows, x, 0, y, 0, arg);
      int w = s.width();
      for (int n = 0, o = 0; n < rows; n++) {
        for (int c = 0; c < s.inChannels(); c++) {
          for (int oy = 0; oy < s.outHeight(); oy++) {
            for (int ox = 0; ox < s.outWidth(); ox++, o++) {
              int best = -1;
              for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                  int at = c * s.height() * w + (2 * oy + i) * w + 2 * ox + j;
                  float v = x[n * s.inSize() + at];
                  boolean nanSeen = best >= 0 && Float.isNaN(x[n * s.inSize() + best]);
                  if (!nanSeen && (best < 0 || v > x[n * s.inSize() + best] || Float.isNaN(v))) {
                    best = at;
                  }
                }
              }
              org.junit.jupiter.api.Assertions.assertEquals(best, arg[o], s + " argmax " + o);
              org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(x[n * s.inSize() + best]),
                  Float.floatToRawIntBits(y[o]), s + " max " + o);
            }
          }
        }
      }
    }
  }

  @Test
  void theGeneralWalkTakesTheFirstMaximumAndTheFirstNaN() {
    ConvShape s = new ConvShape(2, 6, 5, 2, 3, 1, 1, 1, 2); // the inception branch's 3x3, stride 1, padded
    float[] x = ConvKernelTest.random(new SplittableRandom(11), 2 * s.inSize());
    for (int i = 0; i < x.length; i += 3) {
      x[i] = Math.max(0f, x[i]); // ties at 0, as after a ReLU
    }
    x[7] = -0f;
    x[13] = Float.NaN;
    x[14] = Float.NaN;
    x[40] = Float.NEGATIVE_INFINITY;
    float[] y = new float[2 * s.outSize()];
    int[] arg = new int[y.length];
    PoolKernel.maxForward(s, 2, x, 0, y, 0, arg);
    int plane = s.height() * s.width();
    for (int n = 0, o = 0; n < 2; n++) {
      for (int c = 0; c < 2; c++) {
        for (int oy = 0; oy < 6; oy++) {
          for (int ox = 0; ox < 5; ox++, o++) {
            int best = -1;
            for (int iy = Math.max(0, oy - 1); iy < Math.min(6, oy + 2); iy++) {
              for (int ix = Math.max(0, ox - 1); ix < Math.min(5, ox + 2); ix++) {
                int at = c * plane + iy * 5 + ix;
                float v = x[n * s.inSize() + at];
                boolean nanSeen = best >= 0 && Float.isNaN(x[n * s.inSize() + best]);
                if (!nanSeen && (best < 0 || v > x[n * s.inSize() + best] || Float.isNaN(v))) {
                  best = at;
                }
              }
            }
            org.junit.jupiter.api.Assertions.assertEquals(best, arg[o], "argmax " + o);
            org.junit.jupiter.api.Assertions.assertEquals(x[n * s.inSize() + best], y[o], "max " + o);
          }
        }
      }
    }
  }

  @Test
  void maxAndAverageMatchTheirDefinitions() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (ConvShape s : SHAPES) {
      int rows = 2;
      float[] x = ConvKernelTest.random(rnd, rows * s.inSize());
      float[] y = new float[rows * s.outSize()];
      float[] ref = new float[y.length];
      PoolKernel.maxForward(s, rows, x, 0, y, 0, new int[y.length]);
      ImageScalarKernels.pool(true, s, rows, x, ref);
      assertArrayEquals(ref, y, "max " + s);
      PoolKernel.avgForward(s, rows, x, 0, y, 0);
      ImageScalarKernels.pool(false, s, rows, x, ref);
      assertArrayEquals(ref, y, "avg " + s);
    }
  }

  @Test
  void maxBackwardRoutesToTheArgmaxAndGlobalAverageSpreads() {
    ConvShape s = new ConvShape(1, 2, 4, 1, 2, 2, 0, 1, 1);
    float[] x = {1, 5, 2, 0, 3, 4, 9, 1};
    float[] y = new float[2];
    int[] arg = new int[2];
    PoolKernel.maxForward(s, 1, x, 0, y, 0, arg);
    assertArrayEquals(new float[] {5, 9}, y);
    float[] dx = new float[8];
    PoolKernel.maxBackward(s, 1, new float[] {10, 20}, 0, arg, dx, 0);
    assertArrayEquals(new float[] {0, 10, 0, 0, 0, 0, 20, 0}, dx);
    float[] g = new float[2];
    PoolKernel.globalAvgForward(1, 2, 4, x, 0, g, 0);
    assertArrayEquals(new float[] {2, 17f / 4}, g);
    PoolKernel.globalAvgBackward(1, 2, 4, new float[] {4, 8}, 0, dx, 0);
    assertArrayEquals(new float[] {1, 1, 1, 1, 2, 2, 2, 2}, dx);
  }
}
