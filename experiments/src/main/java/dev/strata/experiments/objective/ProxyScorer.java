package dev.strata.experiments.objective;

import dev.strata.experiments.mapping.Mapping;
import dev.strata.experiments.run.Seeds;
import dev.strata.search.prescreen.CandidateScorer;
import dev.strata.search.prescreen.Screening;
import dev.strata.search.trial.Configuration;
import dev.strata.trainer.analysis.InitAnalysis;
import dev.strata.trainer.analysis.Proxies;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.analysis.InitScore;
import dev.strata.trainer.analysis.Proxy;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a candidate configuration at initialisation for pre-screening, with the trainer's {@link
 * InitAnalysis}: the configuration is mapped to its network exactly as {@link TrainingEvaluator}
 * maps it, with the trial's seed (so the network scored is the one that would train), and analysed
 * on the first {@value #ROWS} rows of the training split. By default only the ranking proxy is
 * computed ({@link InitAnalysis#score} does only the work it needs: SynFlow one all-ones row, NASWOT
 * a forward pass of the batch, snip and grad_norm a forward and backward pass); built with {@code
 * allScores}, all four zero-cost proxies ({@code naswot}, {@code synflow}, {@code snip}, {@code
 * grad_norm}) are computed and the screening holds them all. The screening is untrainable when the
 * mean-field {@link dev.strata.trainer.analysis.Verdict} says so, with its reason (unless built
 * without the verdict); the verdict alone ({@link #verdict}) is theory, no pass over the network.
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
  private final Set<Proxy> computed;
  private final int rows;
  private final float[] x;
  private final int[] labels;
  private final float[] targets;

  /**
   * A scorer ranking by {@code proxy} (one of {@code PrescreenSpec.PROXIES}) on the evaluator's
   * data, with the verdict, computing that proxy alone.
   */
  public ProxyScorer(TrainingEvaluator evaluator, String proxy) {
    this(evaluator, proxy, true, false);
  }

  /**
   * A scorer ranking by {@code proxy} on the evaluator's data; with {@code verdict} false every
   * candidate counts as trainable (the proxy alone ranks); with {@code allScores} every proxy is
   * computed and kept in the screening, otherwise {@code proxy} alone.
   */
  public ProxyScorer(TrainingEvaluator evaluator, String proxy, boolean verdict, boolean allScores) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.verdict = verdict;
    this.computed = allScores ? EnumSet.allOf(Proxy.class) : EnumSet.of(Proxy.of(proxy));
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
    return screen(configuration, seed, computed);
  }

  /**
   * The verdict alone on {@code configuration} (score NaN, no proxies): mean-field theory, no pass
   * over the network; every candidate is trainable when this scorer was built without the verdict.
   */
  public Screening verdict(Configuration configuration, long seed) {
    return verdict ? screen(configuration, seed, EnumSet.noneOf(Proxy.class)) : Screening.of(Double.NaN);
  }

  private Screening screen(Configuration configuration, long seed, Set<Proxy> which) {
    if (rows < 2) {
      return Screening.of(Double.NaN);
    }
    Mapping m = evaluator.mapper().map(configuration, seed, evaluator.maxEpochs());
    if (!(m instanceof Mapping.Network n)) {
      return Screening.of(Double.NaN);
    }
    NetworkSpec spec = evaluator.data().withTrainingOptions(n.spec());
    InitScore report;
    try {
      report = InitAnalysis.score(spec, x, rows, labels, targets, which);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return Screening.of(Double.NaN); // not analysable (e.g. a critical init without a critical sigma_w)
    }
    Map<String, Double> scores = scores(report.proxies());
    double score = scores.getOrDefault(proxy, Double.NaN);
    boolean trainable = !verdict || report.verdict().trainable();
    return new Screening(score, scores, trainable, trainable ? "" : report.verdict().reason(), cost(spec));
  }

  /**
   * The predicted training cost of {@code spec}: forward FLOPs per sample times epochs, the work of
   * its training up to the factors every candidate of a search shares (rows, the backward pass's
   * multiple); what a pre-screening shortlist picks the cheapest by.
   */
  static double cost(NetworkSpec spec) {
    return (double) Network.of(spec).flopsPerSample() * spec.training().epochs();
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
