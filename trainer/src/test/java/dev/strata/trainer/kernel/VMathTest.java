package dev.strata.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The deterministic elementary functions against java.lang.Math, and vector lanes vs scalar form. */
class VMathTest {

  private static final int V = VMath.S.length();

  @Test
  void expIsAccurateAndVectorLanesEqualTheScalarTailBitForBit() {
    SplittableRandom rnd = new SplittableRandom(1);
    int len = 4096 + V - 1; // a scalar tail of V - 1 elements
    float[] x = new float[len + 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (-87 + 175 * rnd.nextDouble());
    }
    float[] y = x.clone();
    VMath.exp(y, 1, len);
    assertEquals(x[0], y[0], "the element before the range is untouched");
    assertEquals(x[len + 1], y[len + 1], "the element after the range is untouched");
    for (int i = 1; i <= len; i++) {
      double exact = Math.exp(x[i]);
      // Within 3e-7 relative (about 2.5 ulp of float).
      assertTrue(Math.abs(y[i] - exact) <= 3e-7 * exact, "exp(" + x[i] + ") = " + y[i] + " vs " + exact);
      assertEquals(Float.floatToRawIntBits(VMath.exp(x[i])), Float.floatToRawIntBits(y[i]), "lane vs scalar at " + x[i]);
    }
  }

  @Test
  void log1pUnitIsAccurateAndVectorLanesEqualTheScalarTailBitForBit() {
    int len = 1001;
    float[] u = new float[len];
    for (int i = 0; i < len; i++) {
      u[i] = i / 1000f;
    }
    float[] y = u.clone();
    VMath.log1pUnit(y, 0, len);
    for (int i = 0; i < len; i++) {
      assertEquals(Math.log1p(u[i]), y[i], 2e-7 * Math.log1p(u[i]) + 1e-9, "log1p " + u[i]);
      assertEquals(Float.floatToRawIntBits(VMath.log1pUnit(u[i])), Float.floatToRawIntBits(y[i]), "lane vs scalar at " + u[i]);
    }
  }

  @Test
  void expClampsInsteadOfOverflowingAndPropagatesNaN() {
    assertTrue(Float.isFinite(VMath.exp(1000f)) && VMath.exp(1000f) > 1e38f);
    assertTrue(VMath.exp(-1000f) >= 0 && VMath.exp(-1000f) < 1e-37f);
    assertTrue(Float.isNaN(VMath.exp(Float.NaN)));
    assertEquals(1.0f, VMath.exp(0f));
  }

  @Test
  void deterministicLogMatchesMathLog() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 10000; i++) {
      double x = Math.exp(-700 + 1400 * rnd.nextDouble());
      assertEquals(Math.log(x), VMath.log(x), 1e-14 * Math.abs(Math.log(x)) + 1e-15, "log " + x);
    }
    assertEquals(0.0, VMath.log(1.0));
    assertEquals(Math.log(Double.MIN_VALUE), VMath.log(Double.MIN_VALUE), 1e-12);
    assertEquals(Double.NEGATIVE_INFINITY, VMath.log(0.0));
    assertTrue(Double.isNaN(VMath.log(-1.0)));
  }

  @Test
  void sumLanesAddsInLaneOrder() {
    float[] a = new float[V];
    a[0] = 1e8f;
    for (int i = 1; i < V; i++) {
      a[i] = 1f;
    }
    float expected = 0f;
    for (float v : a) {
      expected += v;
    }
    assertEquals(expected, VMath.sumLanes(FloatVector.fromArray(VMath.S, a, 0)));
  }
}
