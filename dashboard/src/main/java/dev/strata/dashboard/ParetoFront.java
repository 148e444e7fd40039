package dev.strata.dashboard;

import dev.strata.runs.BestSoFar;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The trials not dominated in (objective, parameter count): fewer parameters is better, and the
 * objective is better according to its {@link Direction}. Stateless and thread-safe.
 *
 * <p>Trial a dominates b when a is no worse in both and strictly better in one. Only feasible
 * COMPLETED trials with a finite value and a positive parameter count take part. Sorting by parameter count
 * (ties: best objective first) and keeping each trial whose objective beats every one kept before
 * gives the front in O(n log n); trials that tie exactly with a kept one are dominated by none and
 * are kept too.
 */
public final class ParetoFront {

  private ParetoFront() {}

  /** Whether a trial takes part: it can set a best-so-far ({@link BestSoFar#counts}) and has a known parameter count. */
  public static boolean eligible(TrialRecord t) {
    return BestSoFar.counts(t) && t.parameters() > 0;
  }

  /** The front, by increasing parameter count. */
  public static List<TrialRecord> of(List<TrialRecord> trials, Direction direction) {
    List<TrialRecord> candidates = new ArrayList<>(trials.stream().filter(ParetoFront::eligible).toList());
    Comparator<TrialRecord> bestFirst = Comparator.comparingDouble(t -> direction.toLoss(t.value()));
    candidates.sort(Comparator.comparingLong(TrialRecord::parameters).thenComparing(bestFirst).thenComparingLong(TrialRecord::id));
    List<TrialRecord> front = new ArrayList<>();
    TrialRecord last = null;
    for (TrialRecord t : candidates) {
      if (last == null || direction.isBetter(t.value(), last.value())) {
        front.add(t);
        last = t;
      } else if (t.value() == last.value() && t.parameters() == last.parameters()) {
        front.add(t); // an exact tie: neither dominates the other
      }
    }
    return front;
  }
}
