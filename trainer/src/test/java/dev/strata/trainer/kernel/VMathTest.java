package dev.strata.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
  void sumLanesFoldsSixteenVirtualLanesInOneTreeAtEveryWidth() {
    // Magnitudes chosen so that every order of addition gives different bits.
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 200; trial++) {
      float[] v = new float[VMath.REDUCTION_LANES];
      for (int l = 0; l < v.length; l++) {
        v[l] = (float) ((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(9)));
      }
      float[] t = new float[8];
      for (int l = 0; l < 8; l++) {
        t[l] = v[l] + v[l + 8];
      }
      float expected = ((t[0] + t[4]) + (t[2] + t[6])) + ((t[1] + t[5]) + (t[3] + t[7]));
      FloatVector[] q = new FloatVector[4];
      for (int k = 0; k < 4; k++) {
        q[k] = k * V < v.length ? FloatVector.fromArray(VMath.S, v, k * V) : VMath.V_ZERO;
      }
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(VMath.sumLanes(q[0], q[1], q[2], q[3])),
          "trial " + trial + " at " + V + " lanes");
    }
  }

  @Test
  void speciesFollowsTheBitsProperty() {
    assertEquals(4, VMath.species("128").length());
    assertEquals(8, VMath.species("256").length());
    assertEquals(16, VMath.species("512").length());
    assertEquals(FloatVector.SPECIES_PREFERRED, VMath.species(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VMath.species("300"));
    assertTrue(e.getMessage().contains("128, 256 or 512"), e.getMessage());
    String forced = System.getProperty(VMath.BITS_PROPERTY);
    if (forced != null) {
      assertEquals(Integer.parseInt(forced) / Float.SIZE, VMath.lanes());
    }
  }
}
