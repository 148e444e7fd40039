package dev.strata.search.strategy;

import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.trial.Outcome;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ask latency of the bayesian strategy on hartmann6 (6 dimensions), single-threaded, not a test.
 * For each n: n0 Sobol trials are told (option {@code initial = n0}), n0 chosen so that the
 * scheduled full refit (told count grown by 15% since the first model ask) falls at n or n + 1;
 * the asks in between run as in any search (posterior appends and warm refits every n/20). The
 * full-refit ask at n is timed (hyperparameter fit warm from the previous optimum, the GP
 * refactored on all n trials, the acquisition search), then 60 more tell/ask steps (one of which
 * runs the scheduled warm refit). Prints medians over the repeats and a phase breakdown (one
 * likelihood-and-gradient evaluation on the fit subset, the blocked factor of n points, the
 * prediction of 200 candidates).
 *
 * <pre>
 *   ./mvnw -q -B -pl search-core -am test-compile dependency:build-classpath \
 *       -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 *   taskset -c 0 java -cp search-core/target/test-classes:search-core/target/classes:$(cat /tmp/cp.txt) \
 *       dev.strata.search.strategy.AskLatency 5 100 500 1000
 * </pre>
 *
 * <p>(taskset pins the run to one core.) Arguments: repeats (default 5), then the n values
 * (default 100 500 1000). Timings on a shared VM are noisy; compare medians of repeats, run
 * back to back. At n ≤ min(100, fitPoints) the full refit is the three-start fit; above, the
 * warm, screened one.
 */
final class AskLatency {

  private AskLatency() {}

  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int[] ns = args.length > 1
        ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
        : new int[] {100, 500, 1000};
    Objective f = TestFunctions.byName("hartmann6");
    // warm-up
    run(f, 200, 1, new double[2]);
    for (int n : ns) {
      double[] refit = new double[repeats];
      double[] steady = new double[repeats];
      double[] worst = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        double[] s = new double[2];
        refit[r] = run(f, n, 42, s);
        steady[r] = s[0];
        worst[r] = s[1];
      }
      System.out.printf("n=%5d  full-refit ask %7.1f ms %s   next 60 asks: median %6.1f ms %s, slowest (warm refit) %6.1f ms %s%n",
          n, median(refit), fmt(refit), median(steady), fmt(steady), median(worst), fmt(worst));
    }
    try {
      phases(ns, repeats);
    } catch (LinkageError e) {
      System.out.println("phases: not available against these classes (" + e + ")");
    }
  }

  /**
   * Returns the full-refit ask's ms; {@code steady[0]} gets the median of the 60 asks after it
   * and {@code steady[1]} the slowest of them (the one with the scheduled warm refit, every n/20
   * tells).
   */
  static double run(Objective f, int n, long seed, double[] steady) {
    // start the model at n0 so that the scheduled full refit (told count grown by 15%) falls at n
    int n0 = n;
    for (int k = n; k >= 20; k--) {
      if ((int) Math.ceil(k * 1.15) >= n && (int) Math.ceil(k * 1.15) <= n + 1) {
        n0 = k;
      }
    }
    int nFit = (int) Math.ceil(n0 * 1.15);
    Strategy s = Strategies.create("bayesian", f.space(), f.direction(), seed, Map.of("initial", n0));
    for (int i = 0; i < nFit; i++) {
      Proposal p = s.ask(1).getFirst();
      s.tell(p.index(), Outcome.completed(f.evaluate(p.configuration())));
    }
    long t0 = System.nanoTime();
    Proposal p = s.ask(1).getFirst();
    double ms = (System.nanoTime() - t0) / 1e6;
    s.tell(p.index(), Outcome.completed(f.evaluate(p.configuration())));
    double[] later = new double[60];
    for (int i = 0; i < later.length; i++) {
      long t = System.nanoTime();
      Proposal q = s.ask(1).getFirst();
      later[i] = (System.nanoTime() - t) / 1e6;
      s.tell(q.index(), Outcome.completed(f.evaluate(q.configuration())));
    }
    steady[0] = median(later);
    steady[1] = Arrays.stream(later).max().orElseThrow();
    return ms;
  }

  static void phases(int[] ns, int repeats) {
    int m = 6;
    for (int n : ns) {
      SplittableRandom rnd = new SplittableRandom(n);
      double[][] xs = new double[n][m];
      double[] ys = new double[n];
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < m; d++) {
          xs[i][d] = rnd.nextDouble();
        }
        ys[i] = rnd.nextGaussian();
      }
      double[] theta = new double[m + 2];
      Arrays.fill(theta, Math.log(0.4));
      theta[m] = 0;
      theta[m + 1] = Math.log(1e-3);
      int fit = Math.min(n, 200);
      double[][] fx = Arrays.copyOf(xs, fit);
      double[] fy = Arrays.copyOf(ys, fit);
      double[] grad = new double[m + 2];
      double[] lml = new double[repeats];
      double[] build = new double[repeats];
      double[] pred = new double[repeats];
      double[][] cand = new double[200][m];
      for (double[] c : cand) {
        for (int d = 0; d < m; d++) {
          c[d] = rnd.nextDouble();
        }
      }
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        for (int k = 0; k < 10; k++) {
          GaussianProcess.logMarginalLikelihood(fx, fy, theta, grad);
        }
        lml[r] = (System.nanoTime() - t0) / 1e7;
        t0 = System.nanoTime();
        GaussianProcess gp = new GaussianProcess(new GaussianProcess.Hyper(theta));
        gp.addAll(xs, ys, n);
        build[r] = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        gp.predict(cand, cand.length, new double[200], new double[200]);
        pred[r] = (System.nanoTime() - t0) / 1e6;
      }
      System.out.printf("n=%5d  lml+grad at %d points %6.2f ms/eval   GP factor of n %6.1f ms   predict 200 %6.1f ms%n",
          n, fit, median(lml), median(build), median(pred));
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  static String fmt(double[] v) {
    StringBuilder b = new StringBuilder("[");
    for (double x : v) {
      b.append(b.length() > 1 ? " " : "").append(String.format("%.0f", x));
    }
    return b.append("]").toString();
  }
}
