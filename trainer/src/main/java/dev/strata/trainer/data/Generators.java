package dev.strata.trainer.data;

import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic datasets. Stateless and thread-safe: every call draws from its own {@code
 * java.util.Random(seed)}, whose algorithm the Java specification fixes, so a seed gives the same
 * data on every JVM. Noise is always a standard deviation of a Gaussian, {@code N(0, noise²)}.
 * Classification sets have balanced classes named {@code "0", "1", ...}; features are named {@code
 * x0, x1, ...}.
 */
public final class Generators {

  /** Default noise σ of {@link #sine}: the RMSE of the true function {@code sin(x)} on the data. */
  public static final double SINE_NOISE = 0.1;
  /** Inputs of the {@link #speechLike} task (like 39 MFCC-style acoustic features). */
  public static final int SPEECH_INPUTS = 39;
  /** Outputs of the {@link #speechLike} task (like 48 target acoustic features). */
  public static final int SPEECH_OUTPUTS = 48;
  /** Default noise σ of {@link #speechLike}. */
  public static final double SPEECH_NOISE = 0.1;
  /** Seed of the hidden map of {@link #speechLike}: fixed, so every sample seed poses the same task. */
  static final long SPEECH_TASK_SEED = 39_1000_1000_48L;
  private static final int SPEECH_HIDDEN = 64;

  private Generators() {}

  /** The four XOR points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, in that order. */
  public static Dataset xor() {
    float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
    return new Dataset("xor", x, 4, 2, new int[] {0, 1, 1, 0}, null, 0, Dataset.names("x", 2), classNames(2));
  }

  /**
   * Noisy XOR: {@code samples} points in four Gaussian clouds of σ {@code noise} around the corners
   * of the unit square, dealt to the corners in turn; the label is the XOR of the corner's
   * coordinates.
   */
  public static Dataset xor(int samples, double noise, long seed) {
    positive("samples", samples);
    Random rng = new Random(seed);
    float[] x = new float[samples * 2];
    int[] y = new int[samples];
    for (int i = 0; i < samples; i++) {
      int a = (i & 2) >> 1;
      int b = i & 1;
      x[2 * i] = (float) (a + noise * rng.nextGaussian());
      x[2 * i + 1] = (float) (b + noise * rng.nextGaussian());
      y[i] = a ^ b;
    }
    return new Dataset("xor", x, samples, 2, y, null, 0, Dataset.names("x", 2), classNames(2));
  }

  /**
   * {@code classes} interleaved spiral arms of {@code perClass} points each. Point {@code i} of arm
   * {@code j} has radius {@code r = i / perClass} and angle {@code 2πj/classes + 4r + noise·N(0,1)}
   * (radians), so noise blurs the arms along their direction of turn.
   */
  public static Dataset spiral(int classes, int perClass, double noise, long seed) {
    positive("classes", classes);
    positive("samples per class", perClass);
    Random rng = new Random(seed);
    int n = classes * perClass;
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int j = 0; j < classes; j++) {
      for (int i = 0; i < perClass; i++) {
        int row = j * perClass + i;
        double r = (double) i / perClass;
        double t = 2 * Math.PI * j / classes + 4 * r + noise * rng.nextGaussian();
        x[2 * row] = (float) (r * Math.cos(t));
        x[2 * row + 1] = (float) (r * Math.sin(t));
        y[row] = j;
      }
    }
    return new Dataset("spiral", x, n, 2, y, null, 0, Dataset.names("x", 2), classNames(classes));
  }

  /**
   * Two concentric circles: the first half of the rows on the unit circle (class 0), the rest on a
   * circle of radius {@code factor} (class 1), at uniform random angles, plus Gaussian noise of σ
   * {@code noise} on each coordinate.
   */
  public static Dataset circles(int samples, double noise, double factor, long seed) {
    positive("samples", samples);
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("circles factor must be in (0, 1), got " + factor);
    }
    Random rng = new Random(seed);
    float[] x = new float[samples * 2];
    int[] y = new int[samples];
    int outer = (samples + 1) / 2;
    for (int i = 0; i < samples; i++) {
      double radius = i < outer ? 1.0 : factor;
      double t = 2 * Math.PI * rng.nextDouble();
      x[2 * i] = (float) (radius * Math.cos(t) + noise * rng.nextGaussian());
      x[2 * i + 1] = (float) (radius * Math.sin(t) + noise * rng.nextGaussian());
      y[i] = i < outer ? 0 : 1;
    }
    return new Dataset("circles", x, samples, 2, y, null, 0, Dataset.names("x", 2), classNames(2));
  }

  /**
   * Two interleaving half circles: class 0 at {@code (cos t, sin t)}, class 1 at {@code (1 - cos t,
   * 0.5 - sin t)}, {@code t} uniform in [0, π], plus Gaussian noise of σ {@code noise} on each
   * coordinate. The first half of the rows is class 0.
   */
  public static Dataset moons(int samples, double noise, long seed) {
    positive("samples", samples);
    Random rng = new Random(seed);
    float[] x = new float[samples * 2];
    int[] y = new int[samples];
    int first = (samples + 1) / 2;
    for (int i = 0; i < samples; i++) {
      double t = Math.PI * rng.nextDouble();
      boolean upper = i < first;
      double a = upper ? Math.cos(t) : 1 - Math.cos(t);
      double b = upper ? Math.sin(t) : 0.5 - Math.sin(t);
      x[2 * i] = (float) (a + noise * rng.nextGaussian());
      x[2 * i + 1] = (float) (b + noise * rng.nextGaussian());
      y[i] = upper ? 0 : 1;
    }
    return new Dataset("moons", x, samples, 2, y, null, 0, Dataset.names("x", 2), classNames(2));
  }

  /**
   * Isotropic Gaussian blobs: {@code classes} centres drawn uniformly from {@code [-10, 10]^dimensions},
   * then row {@code i} belongs to class {@code i % classes} and is its centre plus {@code N(0,
   * spread²)} on each coordinate.
   */
  public static Dataset blobs(int samples, int classes, int dimensions, double spread, long seed) {
    positive("samples", samples);
    positive("classes", classes);
    positive("dimensions", dimensions);
    Random rng = new Random(seed);
    double[] centres = new double[classes * dimensions];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = -10 + 20 * rng.nextDouble();
    }
    float[] x = new float[samples * dimensions];
    int[] y = new int[samples];
    for (int i = 0; i < samples; i++) {
      int c = i % classes;
      for (int d = 0; d < dimensions; d++) {
        x[i * dimensions + d] = (float) (centres[c * dimensions + d] + spread * rng.nextGaussian());
      }
      y[i] = c;
    }
    return new Dataset("blobs", x, samples, dimensions, y, null, 0, Dataset.names("x", dimensions), classNames(classes));
  }

  /**
   * Noisy sine regression: {@code x} uniform in [-π, π], {@code y = sin(x) + N(0, noise²)}. The
   * best possible model, {@code sin} itself, has an expected RMSE of {@code noise} (default {@link
   * #SINE_NOISE}).
   */
  public static Dataset sine(int samples, double noise, long seed) {
    positive("samples", samples);
    Random rng = new Random(seed);
    float[] x = new float[samples];
    float[] y = new float[samples];
    for (int i = 0; i < samples; i++) {
      double v = -Math.PI + 2 * Math.PI * rng.nextDouble();
      x[i] = (float) v;
      y[i] = (float) (Math.sin(v) + noise * rng.nextGaussian());
    }
    return new Dataset("sine", x, samples, 1, null, y, 1, List.of("x"), null);
  }

  /**
   * A speech-feature-mapping-like regression task for the "39→1000→1000→48" example: inputs {@code
   * x ~ N(0, I)} in 39 dimensions, targets in 48 dimensions from a fixed random smooth map
   *
   * <pre>  y = B·tanh(A·x/√39 + b)/√64 + 0.5·C·x/√39 + N(0, noise²·I)</pre>
   *
   * with {@code A} (64×39), {@code b} (64, σ 0.5), {@code B} (48×64) and {@code C} (48×39) standard
   * Gaussian. The map is drawn from a constant seed, so every sample {@code seed} poses the same task
   * (only the rows and the noise change); the best possible RMSE is {@code noise} (default {@link
   * #SPEECH_NOISE}).
   */
  public static Dataset speechLike(int samples, double noise, long seed) {
    positive("samples", samples);
    Random rng = new Random(seed);
    float[] x = new float[samples * SPEECH_INPUTS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] y = speechLikeClean(x, samples);
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) (y[i] + noise * rng.nextGaussian());
    }
    return new Dataset("speech-like", x, samples, SPEECH_INPUTS, null, y, SPEECH_OUTPUTS,
        Dataset.names("x", SPEECH_INPUTS), null);
  }

  /** The noise-free targets of {@link #speechLike} for {@code rows} rows of 39 inputs. */
  public static float[] speechLikeClean(float[] x, int rows) {
    int in = SPEECH_INPUTS;
    int hidden = SPEECH_HIDDEN;
    if (x.length != rows * in) {
      throw new IllegalArgumentException("expected " + rows + " x " + in + " inputs, got " + x.length + " values");
    }
    SpeechMap m = SpeechMap.INSTANCE;
    float[] y = new float[rows * SPEECH_OUTPUTS];
    double[] h = new double[hidden];
    double sIn = 1 / Math.sqrt(in);
    double sHidden = 1 / Math.sqrt(hidden);
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < hidden; k++) {
        double s = 0;
        for (int j = 0; j < in; j++) {
          s += m.a[k * in + j] * x[r * in + j];
        }
        h[k] = Math.tanh(s * sIn + m.bias[k]);
      }
      for (int o = 0; o < SPEECH_OUTPUTS; o++) {
        double s = 0;
        for (int k = 0; k < hidden; k++) {
          s += m.b[o * hidden + k] * h[k];
        }
        double lin = 0;
        for (int j = 0; j < in; j++) {
          lin += m.c[o * in + j] * x[r * in + j];
        }
        y[r * SPEECH_OUTPUTS + o] = (float) (s * sHidden + 0.5 * lin * sIn);
      }
    }
    return y;
  }

  /** The fixed parameters of the speech-like map, drawn once from {@link #SPEECH_TASK_SEED}. */
  private static final class SpeechMap {
    static final SpeechMap INSTANCE = new SpeechMap();
    final double[] a;
    final double[] bias;
    final double[] b;
    final double[] c;

    private SpeechMap() {
      Random task = new Random(SPEECH_TASK_SEED);
      a = gaussians(task, SPEECH_HIDDEN * SPEECH_INPUTS, 1.0);
      bias = gaussians(task, SPEECH_HIDDEN, 0.5);
      b = gaussians(task, SPEECH_OUTPUTS * SPEECH_HIDDEN, 1.0);
      c = gaussians(task, SPEECH_OUTPUTS * SPEECH_INPUTS, 1.0);
    }
  }

  private static double[] gaussians(Random rng, int n, double sigma) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = sigma * rng.nextGaussian();
    }
    return out;
  }

  private static List<String> classNames(int k) {
    return Dataset.names("", k);
  }

  private static void positive(String what, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException(what + " must be > 0, got " + n);
    }
  }
}
