package dev.strata.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelNormKernelTest {

  @Test
  void matchesTheScalarTwinBitForBitOnOddPlanes() {
    SplittableRandom rnd = new SplittableRandom(5);
    int[][] shapes = {{3, 5, 49}, {2, 3, 17}, {5, 7, 1}, {1, 2, 121}};
    for (boolean relu : new boolean[] {false, true}) {
      for (int[] sh : shapes) {
        int rows = sh[0];
        int ch = sh[1];
        int plane = sh[2];
        int n = rows * ch * plane;
        float[] x = ConvKernelTest.random(rnd, n);
        float[] g = ConvKernelTest.random(rnd, ch);
        float[] b = ConvKernelTest.random(rnd, ch);
        float[][] stats = new float[6][ch];
        float[] y = new float[n];
        float[] yR = new float[n];
        ChannelNormKernel.trainForward(rows, ch, plane, x, 0, g, 0, b, 0, 1e-5f, relu, stats[0], stats[1], stats[2], y,
            0, new float[plane]);
        ImageScalarKernels.channelNormTrainForward(rows, ch, plane, x, g, b, 1e-5f, relu, stats[3], stats[4], stats[5],
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
        ChannelNormKernel.backward(rows, ch, plane, dy, 0, x, 0, stats[0], stats[2], relu, y, 0, g, 0, dg, 0, db, 0, dx,
            0, new float[plane], new float[plane]);
        ImageScalarKernels.channelNormBackward(rows, ch, plane, dy, x, stats[3], stats[5], relu, yR, g, dgR, dbR, dxR);
        assertArrayEquals(dgR, dg);
        assertArrayEquals(dbR, db);
        assertArrayEquals(dxR, dx);
      }
    }
  }

  @Test
  void theFusedReluGivesTheBitsOfBatchNormThenASeparateRelu() {
    SplittableRandom rnd = new SplittableRandom(11);
    int rows = 3;
    int ch = 5;
    int plane = 37;
    int n = rows * ch * plane;
    float[] x = ConvKernelTest.random(rnd, n);
    float[] g = ConvKernelTest.random(rnd, ch);
    float[] b = ConvKernelTest.random(rnd, ch);
    float[][] stats = new float[3][ch];
    float[] z = new float[n];
    ChannelNormKernel.trainForward(rows, ch, plane, x, 0, g, 0, b, 0, 1e-5f, false, stats[0], stats[1], stats[2], z, 0,
        new float[plane]);
    float[] a = new float[n];
    ActivationKernel.forward(dev.strata.trainer.spec.Activation.RELU, rows, ch * plane, z, 0, null, 0, a, 0);
    float[] fused = new float[n];
    ChannelNormKernel.trainForward(rows, ch, plane, x, 0, g, 0, b, 0, 1e-5f, true, stats[0], stats[1], stats[2],
        fused, 0, new float[plane]);
    assertArrayEquals(a, fused);
    int zeros = 0;
    for (float v : fused) {
      zeros += v == 0f ? 1 : 0;
    }
    assertTrue(zeros > n / 4 && zeros < 3 * n / 4, "the ReLU cut about half the values: " + zeros + " of " + n);

    float[] dy = ConvKernelTest.random(rnd, n);
    float[] dz = new float[n];
    ActivationKernel.backward(dev.strata.trainer.spec.Activation.RELU, n, z, 0, a, 0, dy, 0, dz, 0);
    float[][] sep = {new float[ch], new float[ch], new float[n]};
    ChannelNormKernel.backward(rows, ch, plane, dz, 0, x, 0, stats[0], stats[2], false, null, 0, g, 0, sep[0], 0,
        sep[1], 0, sep[2], 0, new float[plane], new float[plane]);
    float[][] fus = {new float[ch], new float[ch], new float[n]};
    ChannelNormKernel.backward(rows, ch, plane, dy, 0, x, 0, stats[0], stats[2], true, fused, 0, g, 0, fus[0], 0,
        fus[1], 0, fus[2], 0, new float[plane], new float[plane]);
    assertArrayEquals(sep[0], fus[0]);
    assertArrayEquals(sep[1], fus[1]);
    assertArrayEquals(sep[2], fus[2]);
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
    ChannelNormKernel.trainForward(2, 2, 2, x, 0, one, 0, zero, 0, 1e-5f, false, mean, var, is, y, 0, new float[2]);
    assertEquals(3, mean[0], 1e-6);
    assertEquals(3.5, var[0], 1e-6);
    assertEquals(7, mean[1], 1e-6);
    assertEquals(-2 / Math.sqrt(3.5 + 1e-5), y[0], 1e-6);
    assertEquals(0, y[2], 1e-6);
  }
}
