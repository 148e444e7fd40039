package dev.strata.experiments.spec;

import java.util.List;
import java.util.Objects;

/**
 * Pre-screening of the search section ({@code "prescreen": {"proxy": "naswot", "sample": 10}}):
 * for each trial, {@code sample} candidates of the strategy are scored at initialisation by
 * {@code proxy} and only the best is trained (see {@code dev.strata.search.prescreen.PrescreenStrategy}).
 * Absent (null in {@link SearchSpec}): off. Immutable.
 *
 * @param proxy one of {@link #PROXIES}
 * @param sample candidates scored per trained trial (&ge; 1)
 * @param verdict whether a candidate the mean-field verdict finds untrainable ends UNTRAINABLE
 *     (default true); false ranks by the proxy alone
 * @param allScores whether every candidate is scored by all four proxies, each stored on the trial
 *     ({@code "scores": "all"}, to compare the proxies; a forward and backward pass of the batch per
 *     candidate), or by {@code proxy} alone ({@code "scores": "proxy"}, the default: only the work
 *     that proxy needs)
 * @param shortlist how many of the best-scored candidates compete on predicted training cost, the
 *     cheapest being trained (default 1: the best score is trained); at most {@code sample}
 */
public record PrescreenSpec(String proxy, int sample, boolean verdict, boolean allScores, int shortlist) {

  /** Without a shortlist: the best score is trained. */
  public PrescreenSpec(String proxy, int sample, boolean verdict, boolean allScores) {
    this(proxy, sample, verdict, allScores, 1);
  }

  /** With the verdict on, scoring by the proxy alone. */
  public PrescreenSpec(String proxy, int sample) {
    this(proxy, sample, true, false);
  }

  /** Scoring by the proxy alone. */
  public PrescreenSpec(String proxy, int sample, boolean verdict) {
    this(proxy, sample, verdict, false);
  }


  /** The zero-cost proxies a search can rank by, as the trainer's analysis computes them. */
  public static final List<String> PROXIES = List.of("naswot", "synflow", "snip", "grad_norm");

  /** Candidates scored per trial when the file does not say. */
  public static final int DEFAULT_SAMPLE = 10;

  public PrescreenSpec {
    Objects.requireNonNull(proxy, "proxy");
    if (!PROXIES.contains(proxy)) {
      throw new IllegalArgumentException("unknown proxy '" + proxy + "'; use one of " + PROXIES);
    }
    if (sample < 1) {
      throw new IllegalArgumentException("prescreen sample must be >= 1, got " + sample);
    }
    if (shortlist < 1 || shortlist > sample) {
      throw new IllegalArgumentException("prescreen shortlist must be in 1.." + sample + " (the sample), got " + shortlist);
    }
  }
}
