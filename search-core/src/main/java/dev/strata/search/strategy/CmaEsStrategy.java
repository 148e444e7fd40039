package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * CMA-ES, the covariance matrix adaptation evolution strategy (Hansen, "The CMA Evolution
 * Strategy: A Tutorial", 2016), as ask/tell over the unit cube of the space.
 *
 * <p><b>Generations without waiting.</b> Every proposal is drawn from the current search
 * distribution {@code N(m, σ²C)}. Told trials that were drawn from it are collected; once {@code
 * λ} of them are in, the distribution is updated from the best {@code μ = λ/2} by loss (weighted
 * recombination, cumulative step-size adaptation, rank-one and rank-μ covariance updates, the
 * tutorial's default constants) and a new generation begins. Trials drawn from an older
 * distribution and told late are not used. Failures are imputed as bad ({@link
 * AbstractStrategy}), so they simply lose the selection.
 *
 * <p><b>Bounds and kinds.</b> A draw outside [0, 1] is mirrored back into it, and the mirrored
 * point is what is evaluated and what the update learns from. Integers and grid floats are the
 * space's cells of the unit coordinate, so CMA-ES sees a staircase; a categorical is one
 * coordinate whose {@code K} equal cells are its choices in the order written, so CMA-ES treats it
 * as ordinal. That is sound for ordered choices (widths, batch sizes) and weak for unordered ones:
 * prefer {@code tpe} or {@code bayesian} for mostly categorical spaces. A proposal that
 * duplicates an earlier configuration is redrawn with the step size doubled per retry, so a
 * distribution narrower than one integer cell still moves.
 *
 * <p>Options: {@code sigma} (initial step in unit space, default 0.3), {@code population} ({@code
 * λ}, default {@code 4 + ⌊3 ln d⌋}). The initial mean is the centre of the cube. Proposals carry
 * {@code generation}. Deterministic for a seed; not thread-safe.
 */
public final class CmaEsStrategy extends AbstractStrategy {

  public static final String NAME = "cma-es";

  private final int n;
  private final int lambda;
  private final int mu;
  private final double[] weights;
  private final double muEff;
  private final double cSigma;
  private final double dSigma;
  private final double cc;
  private final double c1;
  private final double cMu;
  private final double chiN;

  private double[] mean;
  private double sigma;
  private double[] pSigma;
  private double[] pc;
  private double[][] c;
  private double[][] b;
  private double[] dDiag;
  private int generation;
  /** Told trials of the current generation. */
  private final List<Trial> collected = new ArrayList<>();
  /** Generation of each proposal by trial index. */
  private final List<Integer> generationOf = new ArrayList<>();

  public CmaEsStrategy(SearchSpace space, Direction direction, long seed, double sigma0, int population) {
    super(NAME, space, direction, seed);
    n = Math.max(1, dims.size());
    if (!(sigma0 > 0)) {
      throw new IllegalArgumentException("cma-es: sigma must be > 0, got " + sigma0);
    }
    lambda = population > 0 ? Math.max(2, population) : 4 + (int) Math.floor(3 * Math.log(n));
    mu = lambda / 2;
    weights = new double[mu];
    double sum = 0;
    for (int i = 0; i < mu; i++) {
      weights[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
      sum += weights[i];
    }
    double sumSq = 0;
    for (int i = 0; i < mu; i++) {
      weights[i] /= sum;
      sumSq += weights[i] * weights[i];
    }
    muEff = 1 / sumSq;
    cSigma = (muEff + 2) / (n + muEff + 5);
    dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
    cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
    c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff);
    cMu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff));
    chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
    mean = new double[n];
    Arrays.fill(mean, 0.5);
    sigma = sigma0;
    pSigma = new double[n];
    pc = new double[n];
    c = identity(n);
    b = identity(n);
    dDiag = new double[n];
    Arrays.fill(dDiag, 1);
  }

  static CmaEsStrategy create(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
    Options o = Options.of(NAME, options, Set.of("sigma", "population"));
    return new CmaEsStrategy(space, direction, seed, o.doubleValue("sigma", 0.3, 1e-6, 10),
        o.intValue("population", 0, 0, 100_000));
  }

  @Override
  Candidate propose(int attempt) {
    double step = sigma * Math.pow(2, Math.min(attempt, 6));
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = random.nextGaussian();
    }
    double[] x = new double[dims.size()];
    for (int i = 0; i < x.length; i++) {
      double y = 0;
      for (int j = 0; j < n; j++) {
        y += b[i][j] * dDiag[j] * z[j];
      }
      x[i] = Mutations.reflect(mean[i] + step * y);
    }
    return new Candidate(x, Map.of("origin", "cma", "generation", Integer.toString(generation)));
  }

  @Override
  void accepted(Trial trial, Candidate candidate) {
    generationOf.add(generation);
  }

  @Override
  void onTell(Trial trial) {
    if (dims.isEmpty() || generationOf.get(trial.index) != generation) {
      return;
    }
    collected.add(trial);
    if (collected.size() >= lambda) {
      update();
      collected.clear();
      generation++;
    }
  }

  private void update() {
    List<Trial> ranked = new ArrayList<>(collected);
    ranked.sort((a, bb) -> {
      int cmp = Double.compare(loss(a), loss(bb));
      return cmp != 0 ? cmp : Integer.compare(a.index, bb.index);
    });
    double[] old = mean.clone();
    double[] next = new double[n];
    double[][] steps = new double[mu][n];
    for (int k = 0; k < mu; k++) {
      double[] x = ranked.get(k).raw;
      for (int i = 0; i < n; i++) {
        steps[k][i] = (x[i] - old[i]) / sigma;
        next[i] += weights[k] * x[i];
      }
    }
    mean = next;
    double[] yw = new double[n];
    for (int i = 0; i < n; i++) {
      yw[i] = (mean[i] - old[i]) / sigma;
    }
    // C^(-1/2)·yw = B·D^(-1)·Bᵀ·yw
    double[] bty = new double[n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        bty[j] += b[i][j] * yw[i];
      }
      bty[j] /= dDiag[j];
    }
    double norm = 0;
    for (int i = 0; i < n; i++) {
      double v = 0;
      for (int j = 0; j < n; j++) {
        v += b[i][j] * bty[j];
      }
      pSigma[i] = (1 - cSigma) * pSigma[i] + Math.sqrt(cSigma * (2 - cSigma) * muEff) * v;
      norm += pSigma[i] * pSigma[i];
    }
    norm = Math.sqrt(norm);
    double generations = generation + 1;
    boolean hSigma = norm / Math.sqrt(1 - Math.pow(1 - cSigma, 2 * generations)) / chiN < 1.4 + 2.0 / (n + 1);
    for (int i = 0; i < n; i++) {
      pc[i] = (1 - cc) * pc[i] + (hSigma ? Math.sqrt(cc * (2 - cc) * muEff) * yw[i] : 0);
    }
    double deltaH = hSigma ? 0 : cc * (2 - cc);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double rankMu = 0;
        for (int k = 0; k < mu; k++) {
          rankMu += weights[k] * steps[k][i] * steps[k][j];
        }
        double v = (1 - c1 - cMu + c1 * deltaH) * c[i][j] + c1 * pc[i] * pc[j] + cMu * rankMu;
        c[i][j] = v;
        c[j][i] = v;
      }
    }
    sigma *= Math.exp(Math.min(1.0, (cSigma / dSigma) * (norm / chiN - 1)));
    sigma = Math.clamp(sigma, 1e-12, 1.0);
    decompose();
  }

  private void decompose() {
    RealMatrix m = new Array2DRowRealMatrix(c, false);
    EigenDecomposition e = new EigenDecomposition(m);
    RealMatrix v = e.getV();
    double[] values = e.getRealEigenvalues();
    for (int j = 0; j < n; j++) {
      dDiag[j] = Math.sqrt(Math.max(values[j], 1e-20));
      for (int i = 0; i < n; i++) {
        b[i][j] = v.getEntry(i, j);
      }
    }
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  /** The current step size, for tests. */
  double sigma() {
    return sigma;
  }
}
