package dev.strata.search.prescreen;

import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Pre-screening: a strategy decorator that spends training only on the most promising of several
 * candidates. For each proposal it hands out (each slot), it asks its delegate for {@code sample}
 * candidates, has a {@link CandidateScorer} score each at initialisation, and proposes only the
 * best; the delegate is told the others at once:
 *
 * <ul>
 *   <li>a candidate the scorer finds untrainable: {@link TrialStatus#UNTRAINABLE} with the
 *       scorer's reason;
 *   <li>a trainable candidate that scored lower: {@link TrialStatus#PRUNED} without a value
 *       ("screened out"), which strategies impute as bad, as for any value-less outcome.
 * </ul>
 *
 * <p>The best is the trainable candidate with the highest score (NaN and negative infinity rank
 * last; ties go to the earliest asked). With a {@code shortlist} k &gt; 1 it is instead the
 * cheapest ({@link Screening#cost}; unknown costs rank dearest, ties go to the higher score) of the
 * k best-scored trainable candidates: the proxy screens out the rest, and the cost spends the
 * training time on the candidate that returns its result soonest (a proxy that favours bigger
 * networks, as SynFlow does, otherwise trains fewer trials in the same time). When no candidate of the sample is trainable, the best
 * scored one is proposed anyway, tagged {@code prescreen.untrainable_reason}: the application
 * ends its trial UNTRAINABLE without training it, so every slot ends in a stored trial and a
 * search over an untrainable region still finishes.
 *
 * <p>The proposal carries its delegate's tags plus {@code proxy.NAME} (every score of the chosen
 * candidate, {@link Double#toString}), {@code prescreen.sampled} (candidates scored) and, when any
 * were, {@code prescreen.untrainable} (how many were found untrainable). Proposal indices are the
 * decorator's own, 0, 1, 2, ... per slot; {@link #tell} maps them back to the delegate's.
 *
 * <p><b>Replay.</b> The delegate sees a function of the decorator's calls and the scores, so a
 * fresh decorator around a fresh delegate with a deterministic scorer, fed the same asks and
 * tells, is in the same state: resume replays it like any strategy. With {@code sample = 1} and
 * every candidate trainable it proposes exactly what the delegate proposes.
 *
 * <p>Not thread-safe: one coordinator thread calls it, as any strategy.
 */
public final class PrescreenStrategy implements Strategy {

  /** Tag prefix of the chosen candidate's scores. */
  public static final String PROXY_TAG = "proxy.";
  public static final String SAMPLED_TAG = "prescreen.sampled";
  public static final String UNTRAINABLE_TAG = "prescreen.untrainable";
  /** Set on a proposal whose whole sample was untrainable: the trial ends UNTRAINABLE with this reason. */
  public static final String UNTRAINABLE_REASON_TAG = "prescreen.untrainable_reason";

  private final Strategy delegate;
  private final CandidateScorer scorer;
  private final int sample;
  private final int shortlist;
  private final String proxy;
  /** This decorator's proposal index -> the delegate's, for proposals not yet told. */
  private final Map<Integer, Integer> inner = new HashMap<>();
  private int next;

  /**
   * @param sample candidates scored per proposal (&ge; 1)
   * @param proxy the name of the ranking score, for the reasons told to the delegate
   */
  public PrescreenStrategy(Strategy delegate, CandidateScorer scorer, int sample, String proxy) {
    this(delegate, scorer, sample, 1, proxy);
  }

  /**
   * @param sample candidates scored per proposal (&ge; 1)
   * @param shortlist how many of the best-scored trainable candidates compete on cost (1: the best
   *     score is trained; at most {@code sample})
   * @param proxy the name of the ranking score, for the reasons told to the delegate
   */
  public PrescreenStrategy(Strategy delegate, CandidateScorer scorer, int sample, int shortlist, String proxy) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.scorer = Objects.requireNonNull(scorer, "scorer");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    if (sample < 1) {
      throw new IllegalArgumentException("prescreen sample must be >= 1, got " + sample);
    }
    if (shortlist < 1 || shortlist > sample) {
      throw new IllegalArgumentException("prescreen shortlist must be in 1.." + sample + " (the sample), got " + shortlist);
    }
    this.sample = sample;
    this.shortlist = shortlist;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  public int sample() {
    return sample;
  }

  @Override
  public List<Proposal> ask(int n) {
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Proposal p = screenOne();
      if (p == null) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  @Override
  public void tell(int index, Outcome outcome) {
    Integer at = inner.remove(index);
    if (at == null) {
      throw new IllegalArgumentException(name() + " (prescreened): trial " + index
          + (index < next ? " was already told" : " was never proposed"));
    }
    delegate.tell(at, outcome);
  }

  /** One slot: asks, scores, keeps the best and tells the rest; null when the delegate is exhausted. */
  private Proposal screenOne() {
    List<Proposal> candidates = delegate.ask(sample);
    if (candidates.isEmpty()) {
      return null;
    }
    int slot = next++;
    List<Screening> screenings = new ArrayList<>(candidates.size());
    for (Proposal c : candidates) {
      screenings.add(Objects.requireNonNull(scorer.score(c.configuration(), slot), "screening"));
    }
    List<Integer> listed = shortlist(screenings, shortlist);
    int best = cheapest(screenings, listed);
    boolean anyTrainable = best >= 0;
    if (!anyTrainable) {
      best = best(screenings, false);
    }
    int untrainable = 0;
    for (int j = 0; j < candidates.size(); j++) {
      Screening s = screenings.get(j);
      untrainable += s.trainable() ? 0 : 1;
      if (j == best) {
        continue;
      }
      if (!s.trainable()) {
        delegate.tell(candidates.get(j).index(), Outcome.failed(TrialStatus.UNTRAINABLE, s.reason()));
      } else if (listed.contains(j)) {
        delegate.tell(candidates.get(j).index(), Outcome.failed(TrialStatus.PRUNED, "screened out: cost " + fmt(s.cost())
            + " above " + fmt(screenings.get(best).cost()) + " of the candidate trained, among the " + listed.size()
            + " best by " + proxy));
      } else {
        delegate.tell(candidates.get(j).index(), Outcome.failed(TrialStatus.PRUNED, "screened out: " + proxy + " "
            + fmt(s.score()) + " below " + fmt(screenings.get(best).score()) + " of the candidate trained"));
      }
    }
    Proposal chosen = candidates.get(best);
    Screening s = screenings.get(best);
    Map<String, String> tags = new LinkedHashMap<>(chosen.tags());
    s.scores().forEach((k, v) -> tags.put(PROXY_TAG + k, Double.toString(v)));
    tags.put(SAMPLED_TAG, Integer.toString(candidates.size()));
    if (untrainable > 0) {
      tags.put(UNTRAINABLE_TAG, Integer.toString(untrainable));
    }
    if (!anyTrainable) {
      tags.put(UNTRAINABLE_REASON_TAG, s.reason().isEmpty() ? "predicted untrainable" : s.reason());
    }
    inner.put(slot, chosen.index());
    return new Proposal(slot, chosen.configuration(), tags);
  }

  /** The indices of the {@code k} highest-scored trainable screenings, best first (ties: the earliest first). */
  static List<Integer> shortlist(List<Screening> screenings, int k) {
    List<Integer> trainable = new ArrayList<>();
    for (int j = 0; j < screenings.size(); j++) {
      if (screenings.get(j).trainable()) {
        trainable.add(j);
      }
    }
    trainable.sort((a, b) -> Double.compare(rank(screenings.get(b).score()), rank(screenings.get(a).score())));
    return List.copyOf(trainable.subList(0, Math.min(k, trainable.size())));
  }

  /** The cheapest of {@code listed} (unknown cost dearest; ties: the earlier in the list), -1 when empty. */
  static int cheapest(List<Screening> screenings, List<Integer> listed) {
    int best = -1;
    for (int j : listed) {
      if (best < 0 || costRank(screenings.get(j).cost()) < costRank(screenings.get(best).cost())) {
        best = j;
      }
    }
    return best;
  }

  private static double costRank(double cost) {
    return Double.isNaN(cost) ? Double.POSITIVE_INFINITY : cost;
  }

  /** The index of the highest score (among trainable ones when {@code trainableOnly}), -1 for none. */
  static int best(List<Screening> screenings, boolean trainableOnly) {
    int best = -1;
    for (int j = 0; j < screenings.size(); j++) {
      Screening s = screenings.get(j);
      if (trainableOnly && !s.trainable()) {
        continue;
      }
      if (best < 0 || rank(s.score()) > rank(screenings.get(best).score())) {
        best = j;
      }
    }
    return best;
  }

  /** NaN ranks below negative infinity, which ranks below every number. */
  private static double rank(double score) {
    return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
  }

  private static String fmt(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : Double.toString(v);
  }
}
