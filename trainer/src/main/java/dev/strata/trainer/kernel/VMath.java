package dev.strata.trainer.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic elementary functions for the kernels, each in a vector and a scalar form that
 * perform the same IEEE operations in the same order (so a lane and a scalar tail agree bit for bit).
 *
 * <p>Why not {@code lanewise(EXP)} or {@code reduceLanes(ADD)}: the Vector API computes EXP with an
 * intrinsic (SVML) once C2 has compiled the caller but with {@code Math.exp} before, and leaves the
 * order of a floating-point ADD reduction unspecified. Both would make a training run's bits depend
 * on JIT timing. Everything here uses only add, mul, fma, div, compare and bit operations, which are
 * exactly rounded in every execution tier.
 *
 * <p>Accuracy: {@link #exp(float)} within about 2 ulp on {@code [-87, 88]} (Cephes {@code expf}
 * polynomial; inputs are clamped to that range, so it never returns 0 or infinity, and NaN
 * propagates); {@link #log1pUnit(float)} within about 2 ulp for {@code u} in {@code [0, 1]}.
 * Stateless and thread-safe.
 *
 * <p>The vector forms work in place on arrays, never on a {@code FloatVector} argument: an ordinary
 * method that takes or returns a vector is a call C2 may leave out of line (it stops inlining once a
 * large caller reaches its node budget, {@code NodeCountInliningCutoff}), and the vectors are then
 * boxed and run the Vector API's Java fallback. Helpers of that kind halved training (b) in some
 * JVMs and cost GELU networks about 20%; {@code NoVectorCrossesACallTest} keeps them out. Kernels
 * likewise write a multiply-add with a scalar as {@code x.fma(broadcast, y)}, with the broadcast
 * made before the loop; the API's own methods are force-inlined.
 */
final class VMath {

  /** Property that forces the vector width in bits (128, 256 or 512), so tests can run every width on any host. */
  public static final String BITS_PROPERTY = "strata.vector.bits";

  /** The one species every kernel uses: the host's preferred one unless {@link #BITS_PROPERTY} is set. */
  static final VectorSpecies<Float> S = species(System.getProperty(BITS_PROPERTY));
  private static final int V = S.length();

  /**
   * Lanes of the reduction tree every kernel sums into, whatever the vector width: element i of a
   * reduced run lands in virtual lane {@code i mod REDUCTION_LANES}, and the lanes are folded in the
   * fixed tree of {@link #sumLanes}. So a sum has the same bits at 4, 8 and 16 lanes.
   */
  static final int REDUCTION_LANES = 16;

  private static final float EXP_LO = -87.0f;
  private static final float EXP_HI = 88.0f;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
  private static final float ROUND_MAGIC = 12582912.0f;
  /** 2^23 + 127: adding it to an integer-valued n in [-126, 127] puts n + 127 in the low mantissa bits. */
  private static final float POW2_BIAS = 8388735.0f;
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;

  // Broadcast once: a broadcast per use is a chain of calls that can push C2 past its inlining
  // budget, and a vector operation that is not inlined boxes its operands on the heap.
  static final FloatVector V_ZERO = FloatVector.zero(S);
  static final FloatVector V_ONE = FloatVector.broadcast(S, 1.0f);
  static final FloatVector V_TWO = FloatVector.broadcast(S, 2.0f);
  static final FloatVector V_MINUS_TWO = FloatVector.broadcast(S, -2.0f);
  private static final FloatVector V_EXP_LO = FloatVector.broadcast(S, EXP_LO);
  private static final FloatVector V_EXP_HI = FloatVector.broadcast(S, EXP_HI);
  private static final FloatVector V_LOG2E = FloatVector.broadcast(S, LOG2E);
  private static final FloatVector V_ROUND = FloatVector.broadcast(S, ROUND_MAGIC);
  private static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
  private static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
  private static final FloatVector V_POW2_BIAS = FloatVector.broadcast(S, POW2_BIAS);
  private static final FloatVector V_P0 = FloatVector.broadcast(S, P0);
  private static final FloatVector V_P1 = FloatVector.broadcast(S, P1);
  private static final FloatVector V_P2 = FloatVector.broadcast(S, P2);
  private static final FloatVector V_P3 = FloatVector.broadcast(S, P3);
  private static final FloatVector V_P4 = FloatVector.broadcast(S, P4);
  private static final FloatVector V_P5 = FloatVector.broadcast(S, P5);
  private static final FloatVector V_1_15 = FloatVector.broadcast(S, 1.0f / 15);
  private static final FloatVector V_1_13 = FloatVector.broadcast(S, 1.0f / 13);
  private static final FloatVector V_1_11 = FloatVector.broadcast(S, 1.0f / 11);
  private static final FloatVector V_1_9 = FloatVector.broadcast(S, 1.0f / 9);
  private static final FloatVector V_1_7 = FloatVector.broadcast(S, 1.0f / 7);
  private static final FloatVector V_1_5 = FloatVector.broadcast(S, 1.0f / 5);
  private static final FloatVector V_1_3 = FloatVector.broadcast(S, 1.0f / 3);

  private VMath() {}

  static VectorSpecies<Float> species(String bits) {
    if (bits == null || bits.isBlank()) {
      return FloatVector.SPECIES_PREFERRED;
    }
    return switch (bits.strip()) {
      case "128" -> FloatVector.SPECIES_128;
      case "256" -> FloatVector.SPECIES_256;
      case "512" -> FloatVector.SPECIES_512;
      default -> throw new IllegalArgumentException(
          BITS_PROPERTY + " must be 128, 256 or 512, got '" + bits + "'; leave it unset for the host's width");
    };
  }

  /** Vector width in lanes that the kernels run at in this JVM. */
  public static int lanes() {
    return V;
  }

  // ---- exp ----

  /** {@code a[i] = exp(a[i])} over {@code len} elements, in place; lanes and tail give the same bits. */
  static void exp(float[] a, int off, int len) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector c = FloatVector.fromArray(S, a, off + i).max(V_EXP_LO).min(V_EXP_HI);
      FloatVector n = c.mul(V_LOG2E).add(V_ROUND).sub(V_ROUND);
      FloatVector r = n.fma(V_NEG_LN2_HI, c);
      r = n.fma(V_NEG_LN2_LO, r);
      FloatVector p = r.fma(V_P0, V_P1);
      p = p.fma(r, V_P2);
      p = p.fma(r, V_P3);
      p = p.fma(r, V_P4);
      p = p.fma(r, V_P5);
      FloatVector y = p.fma(r.mul(r), r).add(V_ONE);
      // 2^n without a float-to-int conversion: n + 2^23 + 127 holds n + 127 in its low mantissa bits.
      FloatVector pow2 = n.add(V_POW2_BIAS).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      y.mul(pow2).intoArray(a, off + i);
    }
    for (; i < len; i++) {
      a[off + i] = exp(a[off + i]);
    }
  }

  static float exp(float x) {
    float c = Math.min(Math.max(x, EXP_LO), EXP_HI);
    float n = (c * LOG2E + ROUND_MAGIC) - ROUND_MAGIC;
    float r = Math.fma(n, -LN2_HI, c);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(r, P0, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    float y = Math.fma(p, r * r, r) + 1.0f;
    float pow2 = Float.intBitsToFloat(Float.floatToRawIntBits(n + POW2_BIAS) << 23);
    return y * pow2;
  }

  // ---- log(1+u) for u in [0, 1] ----

  /** {@code a[i] = log(1 + a[i])} for elements in [0, 1], in place; lanes and tail give the same bits. */
  static void log1pUnit(float[] a, int off, int len) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector u = FloatVector.fromArray(S, a, off + i);
      FloatVector s = u.div(u.add(V_TWO));
      FloatVector s2 = s.mul(s);
      FloatVector q = s2.fma(V_1_15, V_1_13);
      q = q.fma(s2, V_1_11);
      q = q.fma(s2, V_1_9);
      q = q.fma(s2, V_1_7);
      q = q.fma(s2, V_1_5);
      q = q.fma(s2, V_1_3);
      q = q.fma(s2, V_ONE);
      s.add(s).mul(q).intoArray(a, off + i);
    }
    for (; i < len; i++) {
      a[off + i] = log1pUnit(a[off + i]);
    }
  }

  static float log1pUnit(float u) {
    float s = u / (u + 2.0f);
    float s2 = s * s;
    float q = Math.fma(s2, 1.0f / 15, 1.0f / 13);
    q = Math.fma(q, s2, 1.0f / 11);
    q = Math.fma(q, s2, 1.0f / 9);
    q = Math.fma(q, s2, 1.0f / 7);
    q = Math.fma(q, s2, 1.0f / 5);
    q = Math.fma(q, s2, 1.0f / 3);
    q = Math.fma(q, s2, 1.0f);
    return (s + s) * q;
  }

  // ---- deterministic double log, for loss values ----

  private static final double LN2 = 0.6931471805599453;
  private static final double SQRT2 = 1.4142135623730951;

  /** Natural log of a positive finite double, within about 1e-15 relative; NaN or Inf pass through. */
  static double log(double x) {
    if (!(x > 0.0) || Double.isInfinite(x)) {
      return x == 0.0 ? Double.NEGATIVE_INFINITY : (x > 0.0 ? x : Double.NaN);
    }
    int e = Math.getExponent(x);
    if (e < Double.MIN_EXPONENT) { // subnormal
      x *= 0x1p54;
      e = Math.getExponent(x) - 54;
      x = Math.scalb(x, -(e + 54));
    } else {
      x = Math.scalb(x, -e);
    }
    if (x > SQRT2) {
      x *= 0.5;
      e++;
    }
    double s = (x - 1.0) / (x + 1.0);
    double s2 = s * s;
    double q = 1.0 / 19;
    q = q * s2 + 1.0 / 17;
    q = q * s2 + 1.0 / 15;
    q = q * s2 + 1.0 / 13;
    q = q * s2 + 1.0 / 11;
    q = q * s2 + 1.0 / 9;
    q = q * s2 + 1.0 / 7;
    q = q * s2 + 1.0 / 5;
    q = q * s2 + 1.0 / 3;
    q = q * s2 + 1.0;
    return e * LN2 + 2.0 * s * q;
  }

  // ---- deterministic horizontal sum ----

  /**
   * Sum of the {@link #REDUCTION_LANES} virtual lanes held in {@code 16 / V} vectors (vector q holds
   * virtual lanes {@code [qV, (q+1)V)}; the unused arguments are ignored), in one fixed tree that halves
   * the lanes at each level: {@code t_j = v_j + v_{j+8}}, then {@code u_j = t_j + t_{j+4}}, then
   * {@code (u_0 + u_2) + (u_1 + u_3)}. At 16 lanes that is one vector folded in place; at 8 the first
   * level is {@code s0 + s1}; at 4 the first two are {@code (s0 + s2) + (s1 + s3)}. Same bits at every
   * width and in every execution tier (unlike {@code reduceLanes(ADD)}, whose order is unspecified).
   * Lanes are extracted at constant indices (a variable index or a shuffle made C2 box the vector).
   * The one method here that takes vectors: it runs once per reduction, after the loop.
   */
  static float sumLanes(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3) {
    if (V == 16) {
      return (((s0.lane(0) + s0.lane(8)) + (s0.lane(4) + s0.lane(12)))
          + ((s0.lane(2) + s0.lane(10)) + (s0.lane(6) + s0.lane(14))))
          + (((s0.lane(1) + s0.lane(9)) + (s0.lane(5) + s0.lane(13)))
          + ((s0.lane(3) + s0.lane(11)) + (s0.lane(7) + s0.lane(15))));
    }
    if (V == 8) {
      FloatVector t = s0.add(s1);
      return ((t.lane(0) + t.lane(4)) + (t.lane(2) + t.lane(6))) + ((t.lane(1) + t.lane(5)) + (t.lane(3) + t.lane(7)));
    }
    if (V == 4) {
      FloatVector u = s0.add(s2).add(s1.add(s3));
      return (u.lane(0) + u.lane(2)) + (u.lane(1) + u.lane(3));
    }
    throw new IllegalStateException("unsupported vector width " + V);
  }
}
