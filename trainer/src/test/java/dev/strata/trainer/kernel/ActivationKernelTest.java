package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.Arrays2.ODD;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.spec.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fused bias + activation forward and the derivative multiply against {@link ScalarKernels}
 * (java.lang.Math in double) on every rows x cols in {1, 3, 17, 63, 130}^2, inputs in [-6, 6].
 * Tolerance 1e-6 absolute + 1e-5 relative: the kernels' exp is within 3e-7 relative, tanh within
 * 2e-7 absolute, and a few float roundings follow.
 */
class ActivationKernelTest {

  @ParameterizedTest
  @EnumSource(Activation.class)
  void forwardWithBiasMatchesScalar(Activation act) {
    SplittableRandom rnd = new SplittableRandom(11 + act.ordinal());
    for (int rows : ODD) {
      for (int cols : ODD) {
        int zOff = 1;
        int yOff = 4;
        float[] z = Arrays2.random(rnd, zOff, rows * cols, -5, 5);
        float[] bias = Arrays2.random(rnd, 2, cols, -1, 1);
        float[] zExpected = z.clone();
        float[] yExpected = Arrays2.random(rnd, yOff, rows * cols, 0, 0);
        float[] y = yExpected.clone();
        ScalarKernels.activationForward(act, rows, cols, zExpected, zOff, bias, 2, yExpected, yOff);
        ActivationKernel.forward(act, rows, cols, z, zOff, bias, 2, y, yOff);
        String what = act + " " + rows + "x" + cols;
        Arrays2.assertClose(zExpected, z, zOff, rows * cols, 0, 0, what + " z+b");
        Arrays2.assertClose(yExpected, y, yOff, rows * cols, 1e-6, 1e-5, what + " y");
        Arrays2.assertMarginUntouched(y, yOff, rows * cols);
        Arrays2.assertMarginUntouched(z, zOff, rows * cols);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void backwardMatchesScalar(Activation act) {
    SplittableRandom rnd = new SplittableRandom(23 + act.ordinal());
    for (int len : new int[] {1, 3, 17, 63, 130, 63 * 17}) {
      float[] z = Arrays2.random(rnd, 0, len, -6, 6);
      float[] y = new float[z.length];
      ActivationKernel.forward(act, 1, len, z, 0, null, 0, y, 0);
      float[] dy = Arrays2.random(rnd, 3, len, -2, 2);
      float[] expected = Arrays2.random(rnd, 5, len, 0, 0);
      float[] actual = expected.clone();
      ScalarKernels.activationBackward(act, len, z, 0, y, 0, dy, 3, expected, 5);
      ActivationKernel.backward(act, len, z, 0, y, 0, dy, 3, actual, 5);
      Arrays2.assertClose(expected, actual, 5, len, 2e-6, 1e-5, act + " dz len=" + len);
      Arrays2.assertMarginUntouched(actual, 5, len);
    }
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void extremeInputsStayFinite(Activation act) {
    float[] z = {-1e30f, -1000f, -100f, -20f, 0f, 20f, 100f, 1000f, 1e30f};
    float[] y = new float[z.length];
    float[] dz = new float[z.length];
    float[] dy = new float[z.length];
    java.util.Arrays.fill(dy, 1f);
    ActivationKernel.forward(act, 1, z.length, z, 0, null, 0, y, 0);
    ActivationKernel.backward(act, z.length, z, 0, y, 0, dy, 0, dz, 0);
    for (int i = 0; i < z.length; i++) {
      float zi = z[i];
      assertTrue(!Float.isNaN(y[i]) && !Float.isNaN(dz[i]), act + " at " + zi + ": y=" + y[i] + " dz=" + dz[i]);
    }
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void fusedBackwardGivesTheBitsOfTheTwoPasses(Activation act) {
    // 1000 x 7 is two chunks; 5 x 130 one.
    SplittableRandom rnd = new SplittableRandom(23 + act.ordinal());
    for (int[] shape : new int[][] {{1000, 7}, {5, 130}, {0, 9}}) {
      int rows = shape[0];
      int cols = shape[1];
      float[] z = Arrays2.random(rnd, 0, rows * cols, -4, 4);
      float[] y = new float[rows * cols];
      ActivationKernel.forward(act, rows, cols, z, 0, null, 0, y, 0);
      float[] dy = Arrays2.random(rnd, 0, rows * cols, -1, 1);
      float[] dzExpected = new float[rows * cols];
      float[] dbExpected = Arrays2.random(rnd, 0, cols, -1, 1);
      ActivationKernel.backward(act, rows * cols, z, 0, y, 0, dy, 0, dzExpected, 0);
      ElementwiseKernel.columnSums(rows, cols, dzExpected, 0, dbExpected, 0, false);
      float[] dz = new float[rows * cols];
      float[] db = Arrays2.random(rnd, 0, cols, -1, 1);
      ActivationKernel.backwardWithColumnSums(act, rows, cols, z, 0, y, 0, dy, 0, dz, 0, db, 0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(dzExpected, dz, act + " dz " + rows + "x" + cols);
      org.junit.jupiter.api.Assertions.assertArrayEquals(dbExpected, db, act + " db " + rows + "x" + cols);
    }
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void gemmWithEpilogueGivesTheBitsOfTheTwoPasses(Activation act) {
    // Strip epilogue (one sweep), after-pass (k > KC; n > NC; column split over threads), small path.
    SplittableRandom rnd = new SplittableRandom(31 + act.ordinal());
    int[][] shapes = {{64, 200, 100}, {20, 40, 300}, {30, 300, 40}, {64, 784, 256}, {5, 6, 7}};
    for (int[] sh : shapes) {
      int m = sh[0];
      int n = sh[1];
      int k = sh[2];
      float[] x = Arrays2.random(rnd, 0, m * k, -1, 1);
      float[] w = Arrays2.random(rnd, 0, k * n, -1, 1);
      float[] bias = Arrays2.random(rnd, 0, n, -1, 1);
      float[] zExpected = new float[m * n];
      float[] yExpected = new float[m * n];
      GemmKernel.gemm(m, n, k, x, 0, w, 0, zExpected, 0, false);
      ActivationKernel.forward(act, m, n, zExpected, 0, bias, 0, yExpected, 0);
      for (int threads = 1; threads <= 2; threads++) {
        float[] z = new float[m * n];
        float[] y = new float[m * n];
        GemmKernel.gemmBiasActivation(GemmContext.of(threads), m, n, k, x, 0, w, 0, bias, 0, act, z, 0, y, 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(zExpected, z, act + " z " + m + "x" + n + "x" + k);
        org.junit.jupiter.api.Assertions.assertArrayEquals(yExpected, y, act + " y " + m + "x" + n + "x" + k);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void inPlaceForwardGivesTheBitsOfTwoArraysOrIsRefused(Activation act) {
    // The exp-based activations other than sigmoid keep intermediates in y while they still read z.
    boolean inPlaceAllowed = switch (act) {
      case LINEAR, RELU, LEAKY_RELU, SIGMOID -> true;
      default -> false;
    };
    SplittableRandom rnd = new SplittableRandom(41 + act.ordinal());
    int rows = 9;
    int cols = 37;
    float[] z = Arrays2.random(rnd, 0, rows * cols, -6, 6);
    float[] bias = Arrays2.random(rnd, 0, cols, -1, 1);
    float[] inPlace = z.clone();
    if (inPlaceAllowed) {
      float[] y = z.clone(); // the same margins past the region
      ActivationKernel.forward(act, rows, cols, z, 0, bias, 0, y, 0);
      ActivationKernel.forward(act, rows, cols, inPlace, 0, bias, 0, inPlace, 0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(y, inPlace, act + " in place");
    } else {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> ActivationKernel.forward(act, rows, cols, inPlace, 0, bias, 0, inPlace, 0));
      assertTrue(e.getMessage().contains("different array"), e.getMessage());
      org.junit.jupiter.api.Assertions.assertArrayEquals(z, inPlace, act + ": a refused call writes nothing");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Activation.class, mode = EnumSource.Mode.EXCLUDE, names = "LINEAR")
  void backwardRefusesADzThatIsAnInput(Activation act) {
    float[] z = {1, -2, 3};
    float[] y = new float[3];
    ActivationKernel.forward(act, 1, 3, z, 0, null, 0, y, 0);
    float[] dy = {0.5f, 0.25f, 1};
    for (float[] dz : new float[][] {z, y, dy}) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> ActivationKernel.backward(act, 3, z, 0, y, 0, dy, 0, dz, 0), act.toString());
    }
  }
}
