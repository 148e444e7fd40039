package dev.strata.experiments.objective;

import dev.strata.experiments.mapping.Mapping;
import dev.strata.experiments.run.Seeds;
import dev.strata.search.prescreen.CandidateScorer;
import dev.strata.search.prescreen.Screening;
import dev.strata.search.trial.Configuration;
import dev.strata.trainer.analysis.InitAnalysis;
import dev.strata.trainer.analysis.InitReport;
import dev.strata.trainer.analysis.Proxies;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.spec.NetworkSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a candidate configuration at initialisation for pre-screening, with the trainer's {@link
 * InitAnalysis}: the configuration is mapped to its network exactly as {@link TrainingEvaluator}
 * maps it, with the trial's seed (so the network scored is the one that would train), and analysed
 * on the first {@value #ROWS} rows of the training split (one forward and backward pass). The
 * screening holds all four zero-cost proxies ({@code naswot}, {@code synflow}, {@code snip}, {@code
 * grad_norm}), ranks by the one chosen, and is untrainable when the mean-field {@link
 * dev.strata.trainer.analysis.Verdict} says so, with its reason (unless built without the verdict).
 *
 * <p>Dense and convolutional (image, cell) networks are analysed alike. A configuration the mapper
 * rejects, or a network the analysis cannot build, scores NaN and counts as trainable: the evaluator
 * then decides as without screening.
 * Deterministic in (configuration, seed); thread-safe (each call builds its own network; the
 * batch is read-only).
 */
public final class ProxyScorer {

  /** Rows of the training split in the measured batch (NASWOT's kernel is ROWS x ROWS). */
  public static final int ROWS = 64;

  private final TrainingEvaluator evaluator;
  private final String proxy;
  private final boolean verdict;
  private final int rows;
  private final float[] x;
  private final int[] labels;
  private final float[] targets;

  /** A scorer ranking by {@code proxy} (one of {@code PrescreenSpec.PROXIES}) on the evaluator's data, with the verdict. */
  public ProxyScorer(TrainingEvaluator evaluator, String proxy) {
    this(evaluator, proxy, true);
  }

  /**
   * A scorer ranking by {@code proxy} on the evaluator's data; with {@code verdict} false every
   * candidate counts as trainable (the proxy alone ranks).
   */
  public ProxyScorer(TrainingEvaluator evaluator, String proxy, boolean verdict) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.verdict = verdict;
    Dataset train = evaluator.data().split().train();
    this.rows = Math.min(ROWS, train.rows());
    this.x = Arrays.copyOf(train.x(), rows * train.features());
    this.labels = train.labels() == null ? null : Arrays.copyOf(train.labels(), rows);
    this.targets = train.targets() == null ? null : Arrays.copyOf(train.targets(), rows * train.outputs());
  }

  public String proxy() {
    return proxy;
  }

  /**
   * The scorer for the study whose strategy seed is {@code studySeed}: candidate for trial {@code i}
   * is scored with that trial's seed, {@link Seeds#trial} = mix(studySeed ^ i).
   */
  public CandidateScorer forStudy(long studySeed) {
    return (configuration, trialIndex) -> score(configuration, Seeds.mix(studySeed ^ trialIndex));
  }

  /** Screens {@code configuration} built with weight seed {@code seed}. */
  public Screening score(Configuration configuration, long seed) {
    if (rows < 2) {
      return Screening.of(Double.NaN);
    }
    Mapping m = evaluator.mapper().map(configuration, seed, evaluator.maxEpochs());
    if (!(m instanceof Mapping.Network n)) {
      return Screening.of(Double.NaN);
    }
    NetworkSpec spec = evaluator.data().withTrainingOptions(n.spec());
    InitReport report;
    try {
      report = InitAnalysis.inspect(spec, x, rows, labels, targets);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return Screening.of(Double.NaN); // not analysable (e.g. a critical init without a critical sigma_w)
    }
    Map<String, Double> scores = scores(report.proxies());
    double score = scores.getOrDefault(proxy, Double.NaN);
    boolean trainable = !verdict || report.verdict().trainable();
    return new Screening(score, scores, trainable, trainable ? "" : report.verdict().reason());
  }

  /** The four proxies by their experiment-file names; NaN ones left out. */
  static Map<String, Double> scores(Proxies p) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("naswot", p.naswot());
    out.put("synflow", p.synflow());
    out.put("snip", p.snip());
    out.put("grad_norm", p.gradNorm());
    out.values().removeIf(v -> Double.isNaN(v));
    return out;
  }
}
