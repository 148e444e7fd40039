package dev.strata.search.strategy;

import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Rebuilds a strategy's state from the recorded sequence of its calls. Resume depends on it.
 *
 * <p>Record a live strategy by wrapping it ({@link #recording(Strategy)}) or by logging {@link Ask}
 * and {@link Tell} events yourself (the store keeps them); later {@link #replay(Strategy, List)}
 * feeds the log to a fresh instance built with the same name, space, direction, seed and options.
 * Each replayed {@code ask} must return the recorded proposals (same indices, same
 * configurations; tags are not compared); the first difference throws a {@link
 * ReplayMismatchException} naming the event and the two configurations.
 *
 * <pre>{@code
 * StrategyReplay.Recording live = StrategyReplay.recording(Strategies.create("tpe", space, MINIMIZE, 7, Map.of()));
 * ... live.ask(2); live.tell(1, outcome); ...
 * Strategy rebuilt = StrategyReplay.replay(Strategies.create("tpe", space, MINIMIZE, 7, Map.of()), live.log());
 * }</pre>
 *
 * <p>For the built-in strategies {@code ask(n)} equals {@code n} calls of {@code ask(1)}, so a log
 * that lost the grouping of asks (one {@code Ask(1, ...)} per trial in index order, with the tells
 * between them in the order they happened) replays to the same state.
 */
public final class StrategyReplay {

  private StrategyReplay() {}

  /** One recorded call. Immutable. */
  public sealed interface Event permits Ask, Tell {}

  /** A call {@code ask(n)} and what it returned. */
  public record Ask(int n, List<Proposal> proposals) implements Event {
    public Ask {
      if (n < 1) {
        throw new IllegalArgumentException("ask n must be >= 1, got " + n);
      }
      proposals = List.copyOf(proposals);
    }
  }

  /** A call {@code tell(index, outcome)}. */
  public record Tell(int index, Outcome outcome) implements Event {
    public Tell {
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /** Thrown when a replayed ask does not return the recorded proposals. */
  public static final class ReplayMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ReplayMismatchException(String message) {
      super(message);
    }
  }

  /**
   * Replays {@code log} into {@code fresh} (a new instance, never asked or told) and returns it.
   *
   * @throws ReplayMismatchException at the first ask whose proposals differ from the record
   */
  public static <S extends Strategy> S replay(S fresh, List<? extends Event> log) {
    int eventNo = 0;
    for (Event event : log) {
      switch (event) {
        case Ask ask -> {
          List<Proposal> got = fresh.ask(ask.n());
          int count = Math.max(got.size(), ask.proposals().size());
          for (int i = 0; i < count; i++) {
            Proposal want = i < ask.proposals().size() ? ask.proposals().get(i) : null;
            Proposal have = i < got.size() ? got.get(i) : null;
            if (want == null || have == null || want.index() != have.index()
                || !want.configuration().equals(have.configuration())) {
              throw new ReplayMismatchException("replay of strategy '" + fresh.name() + "' diverged at event "
                  + eventNo + " (ask " + ask.n() + "), proposal " + i + ": recorded "
                  + describe(want) + " but the rebuilt strategy proposed " + describe(have)
                  + "; was it built with the same space, direction, seed and options?");
            }
          }
        }
        case Tell tell -> fresh.tell(tell.index(), tell.outcome());
      }
      eventNo++;
    }
    return fresh;
  }

  private static String describe(Proposal p) {
    return p == null ? "nothing" : "#" + p.index() + " " + p.configuration().canonicalJson();
  }

  /** Wraps a strategy so that every call is logged. */
  public static Recording recording(Strategy strategy) {
    return new Recording(strategy);
  }

  /** A strategy that forwards to another and logs each call. Not thread-safe. */
  public static final class Recording implements Strategy {
    private final Strategy delegate;
    private final List<Event> log = new ArrayList<>();

    private Recording(Strategy delegate) {
      this.delegate = Objects.requireNonNull(delegate, "strategy");
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public List<Proposal> ask(int n) {
      List<Proposal> proposals = delegate.ask(n);
      log.add(new Ask(n, proposals));
      return proposals;
    }

    @Override
    public void tell(int index, Outcome outcome) {
      delegate.tell(index, outcome);
      log.add(new Tell(index, outcome));
    }

    /** The calls so far (a read-only view). */
    public List<Event> log() {
      return Collections.unmodifiableList(log);
    }

    public Strategy delegate() {
      return delegate;
    }
  }
}
