package dev.strata.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelNormKernelTest {

  @Test
  void matchesTheScalarTwinBitForBitOnOddPlanes() {
    SplittableRandom rnd = new SplittableRandom(5);
    int[][] shapes = {{3, 5, 49}, {2, 3, 17}, {5, 7, 1}, {1, 2, 121}};
    for (int[] sh : shapes) {
      int rows = sh[0];
      int ch = sh[1];
      int plane = sh[2];
      int n = rows * ch * plane;
      float[] x = ConvKernelTest.random(rnd, n);
      float[] g = ConvKernelTest.random(rnd, ch);
      float[] b = ConvKernelTest.random(rnd, ch);
      float[][] stats = new float[6][ch];
      float[] xh = new float[n];
      float[] y = new float[n];
      float[] xhR = new float[n];
      float[] yR = new float[n];
      ChannelNormKernel.trainForward(rows, ch, plane, x, 0, g, 0, b, 0, 1e-5f, stats[0], stats[1], stats[2], xh, 0, y,
          0, new float[plane]);
      ImageScalarKernels.channelNormTrainForward(rows, ch, plane, x, g, b, 1e-5f, stats[3], stats[4], stats[5], xhR,
          yR);
      assertArrayEquals(stats[3], stats[0]);
      assertArrayEquals(stats[4], stats[1]);
      assertArrayEquals(yR, y);
      float[] dy = ConvKernelTest.random(rnd, n);
      float[] dg = new float[ch];
      float[] db = new float[ch];
      float[] dx = new float[n];
      float[] dgR = new float[ch];
      float[] dbR = new float[ch];
      float[] dxR = new float[n];
      ChannelNormKernel.backward(rows, ch, plane, dy, 0, xh, 0, g, 0, stats[2], dg, 0, db, 0, dx, 0, new float[plane],
          new float[plane]);
      ImageScalarKernels.channelNormBackward(rows, ch, plane, dy, xhR, g, stats[5], dgR, dbR, dxR);
      assertArrayEquals(dgR, dg);
      assertArrayEquals(dbR, db);
      assertArrayEquals(dxR, dx);
    }
  }

  @Test
  void normalisesEachChannelOverSamplesAndPixels() {
    // 2 samples, 2 channels, 2 pixels; channel 0 holds 1,2 | 3,6 (mean 3, var 3.5), channel 1 is constant
    float[] x = {1, 2, 7, 7, 3, 6, 7, 7};
    float[] one = {1, 1};
    float[] zero = {0, 0};
    float[] mean = new float[2];
    float[] var = new float[2];
    float[] is = new float[2];
    float[] y = new float[8];
    ChannelNormKernel.trainForward(2, 2, 2, x, 0, one, 0, zero, 0, 1e-5f, mean, var, is, new float[8], 0, y, 0,
        new float[2]);
    assertEquals(3, mean[0], 1e-6);
    assertEquals(3.5, var[0], 1e-6);
    assertEquals(7, mean[1], 1e-6);
    assertEquals(-2 / Math.sqrt(3.5 + 1e-5), y[0], 1e-6);
    assertEquals(0, y[2], 1e-6);
  }
}
