package dev.strata.search.prescreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.strategy.StrategyReplay;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrescreenStrategyTest {

  static final Objective BOX = TestFunctions.byName("hartmann6");

  /** A deterministic proxy: the sum of the coordinates; untrainable when x1 > 0.8. */
  static Screening screen(Configuration c, int trialIndex) {
    double sum = 0;
    for (int i = 1; i <= 6; i++) {
      sum += ((Number) c.get("x" + i)).doubleValue();
    }
    double x1 = ((Number) c.get("x1")).doubleValue();
    Map<String, Double> scores = Map.of("sum", sum, "x1", x1);
    return x1 > 0.8 ? new Screening(sum, scores, false, "x1 = " + x1 + " is too large")
        : new Screening(sum, scores, true, "");
  }

  static Strategy inner(String name, long seed) {
    return Strategies.create(name, BOX.space(), Direction.MINIMIZE, seed, Map.of());
  }

  @Test
  void trainsTheBestScoredTrainableCandidateAndTellsTheOthers() {
    StrategyReplay.Recording rec = StrategyReplay.recording(inner("random", 3));
    PrescreenStrategy s = new PrescreenStrategy(rec, PrescreenStrategyTest::screen, 5, "sum");
    int sawUntrainable = 0;
    for (int slot = 0; slot < 20; slot++) {
      int from = rec.log().size();
      Proposal p = s.ask(1).getFirst();
      assertEquals(slot, p.index());
      List<StrategyReplay.Event> events = rec.log().subList(from, rec.log().size());
      List<Proposal> sample = ((StrategyReplay.Ask) events.getFirst()).proposals();
      assertEquals(5, sample.size());
      double bestScore = Double.NEGATIVE_INFINITY;
      Configuration best = null;
      for (Proposal c : sample) {
        Screening sc = screen(c.configuration(), slot);
        if (sc.trainable() && sc.score() > bestScore) {
          bestScore = sc.score();
          best = c.configuration();
        }
      }
      assertEquals(best, p.configuration(), "slot " + slot);
      assertEquals(Double.toString(bestScore), p.tags().get("proxy.sum"));
      assertEquals("5", p.tags().get(PrescreenStrategy.SAMPLED_TAG));
      // the four others are told at once, untrainable ones UNTRAINABLE with the reason
      assertEquals(5, events.size());
      for (StrategyReplay.Event e : events.subList(1, 5)) {
        StrategyReplay.Tell t = (StrategyReplay.Tell) e;
        Configuration c = sample.stream().filter(x -> x.index() == t.index()).findFirst().orElseThrow().configuration();
        if (screen(c, slot).trainable()) {
          assertEquals(TrialStatus.PRUNED, t.outcome().status());
          assertTrue(t.outcome().reason().startsWith("screened out: sum "), t.outcome().reason());
          assertFalse(t.outcome().hasValue());
        } else {
          assertEquals(TrialStatus.UNTRAINABLE, t.outcome().status());
          assertTrue(t.outcome().reason().startsWith("x1 = "), t.outcome().reason());
          sawUntrainable++;
        }
      }
      s.tell(slot, Outcome.completed(slot));
      StrategyReplay.Tell forwarded = (StrategyReplay.Tell) rec.log().getLast();
      assertEquals(sample.stream().filter(x -> x.configuration().equals(p.configuration())).findFirst().orElseThrow()
          .index(), forwarded.index());
    }
    assertTrue(sawUntrainable > 0, "the script should meet untrainable candidates");
  }

  /**
   * A shortlist of 3 trains the cheapest of the 3 best-scored trainable candidates (cost: x2 here),
   * tells the other two of them why, and a shortlist of 1 is the plain best score.
   */
  @Test
  void aShortlistTrainsTheCheapestOfTheBestScored() {
    CandidateScorer costed = (c, i) -> {
      Screening sc = screen(c, i);
      return sc.withCost(((Number) c.get("x2")).doubleValue());
    };
    StrategyReplay.Recording rec = StrategyReplay.recording(inner("random", 4));
    PrescreenStrategy s = new PrescreenStrategy(rec, costed, 6, 3, "sum");
    int cheaperThanTheBest = 0;
    for (int slot = 0; slot < 15; slot++) {
      int from = rec.log().size();
      Proposal p = s.ask(1).getFirst();
      List<StrategyReplay.Event> events = rec.log().subList(from, rec.log().size());
      List<Proposal> sample = ((StrategyReplay.Ask) events.getFirst()).proposals();
      List<Screening> screenings = sample.stream().map(c -> costed.score(c.configuration(), 0)).toList();
      List<Integer> trainable = new ArrayList<>();
      for (int j = 0; j < sample.size(); j++) {
        if (screenings.get(j).trainable()) {
          trainable.add(j);
        }
      }
      trainable.sort((a, b) -> Double.compare(screenings.get(b).score(), screenings.get(a).score()));
      List<Integer> top = trainable.subList(0, Math.min(3, trainable.size()));
      int expected = top.stream().min((a, b) -> Double.compare(screenings.get(a).cost(), screenings.get(b).cost())).orElseThrow();
      assertEquals(sample.get(expected).configuration(), p.configuration(), "slot " + slot);
      cheaperThanTheBest += expected != top.getFirst() ? 1 : 0;
      long costTold = events.stream().skip(1).map(e -> ((StrategyReplay.Tell) e).outcome().reason())
          .filter(r -> r.startsWith("screened out: cost ") && r.endsWith("among the " + top.size() + " best by sum")).count();
      assertEquals(top.size() - 1, costTold, "slot " + slot);
      s.tell(slot, Outcome.completed(slot));
    }
    assertTrue(cheaperThanTheBest > 0, "the script should meet a best score that is not the cheapest");
    assertEquals(List.of(2, 0), PrescreenStrategy.shortlist(List.of(Screening.of(1), Screening.untrainable(5, ""),
        Screening.of(3), Screening.of(1)), 2));
    assertEquals(0, PrescreenStrategy.cheapest(List.of(Screening.of(1).withCost(2), Screening.of(2)), List.of(1, 0)),
        "an unknown cost ranks dearest");
    assertThrows(IllegalArgumentException.class, () -> new PrescreenStrategy(inner("random", 1), costed, 3, 4, "sum"));
  }

  @Test
  void aWhollyUntrainableSampleIsProposedWithTheReasonToEndUntrainable() {
    CandidateScorer none = (c, i) -> Screening.untrainable(i == 0 ? 1 : Double.NaN, "ordered phase");
    PrescreenStrategy s = new PrescreenStrategy(inner("random", 1), none, 3, "naswot");
    Proposal p = s.ask(1).getFirst();
    assertEquals("ordered phase", p.tags().get(PrescreenStrategy.UNTRAINABLE_REASON_TAG));
    assertEquals("3", p.tags().get(PrescreenStrategy.UNTRAINABLE_TAG));
    s.tell(0, Outcome.failed(TrialStatus.UNTRAINABLE, "ordered phase"));
    assertThrows(IllegalArgumentException.class, () -> s.tell(0, Outcome.completed(1)));
    assertThrows(IllegalArgumentException.class, () -> s.tell(5, Outcome.completed(1)));
  }

  @Test
  void nanAndMinusInfinityRankLastAndTiesGoToTheEarliest() {
    assertEquals(1, PrescreenStrategy.best(List.of(Screening.of(Double.NaN), Screening.of(-3), Screening.of(-3)), true));
    assertEquals(0, PrescreenStrategy.best(List.of(Screening.of(Double.NaN), Screening.of(Double.NEGATIVE_INFINITY)),
        true));
    assertEquals(2, PrescreenStrategy.best(List.of(Screening.untrainable(9, ""), Screening.of(1), Screening.of(2)), true));
    assertEquals(-1, PrescreenStrategy.best(List.of(Screening.untrainable(9, "")), true));
  }

  @Test
  void aSampleOfOneWithEveryCandidateTrainableProposesWhatTheStrategyProposes() {
    CandidateScorer all = (c, i) -> Screening.of(i);
    Strategy plain = inner("tpe", 11);
    PrescreenStrategy screened = new PrescreenStrategy(inner("tpe", 11), all, 1, "naswot");
    for (int i = 0; i < 30; i++) {
      Proposal a = plain.ask(1).getFirst();
      Proposal b = screened.ask(1).getFirst();
      assertEquals(a.index(), b.index());
      assertEquals(a.configuration(), b.configuration(), "trial " + i);
      double v = BOX.evaluate(a.configuration());
      plain.tell(a.index(), Outcome.completed(v));
      screened.tell(b.index(), Outcome.completed(v));
    }
  }

  /** Resume replays the decorator's asks and tells into a fresh one: it must reach the same state. */
  @Test
  void replayingItsCallsRebuildsTheSameState() {
    StrategyReplay.Recording live = StrategyReplay.recording(
        new PrescreenStrategy(inner("tpe", 5), PrescreenStrategyTest::screen, 4, "sum"));
    List<Proposal> pending = new ArrayList<>();
    for (int round = 0; round < 12; round++) {
      pending.addAll(live.ask(round % 3 == 0 ? 2 : 1));
      Proposal done = pending.removeFirst(); // told out of order with respect to the asks
      live.tell(done.index(), round % 5 == 4 ? Outcome.failed(TrialStatus.UNTRAINABLE, "x")
          : Outcome.completed(BOX.evaluate(done.configuration())));
    }
    PrescreenStrategy rebuilt = StrategyReplay.replay(
        new PrescreenStrategy(inner("tpe", 5), PrescreenStrategyTest::screen, 4, "sum"), live.log());
    for (Proposal p : pending) {
      double v = BOX.evaluate(p.configuration());
      live.tell(p.index(), Outcome.completed(v));
      rebuilt.tell(p.index(), Outcome.completed(v));
    }
    for (int i = 0; i < 5; i++) {
      Proposal a = live.ask(1).getFirst();
      Proposal b = rebuilt.ask(1).getFirst();
      assertEquals(a, b);
      double v = BOX.evaluate(a.configuration());
      live.tell(a.index(), Outcome.completed(v));
      rebuilt.tell(b.index(), Outcome.completed(v));
    }
  }

  @Test
  void anExhaustedStrategyEndsTheSlots() {
    Strategy two = new dev.strata.search.strategy.BudgetedStrategy(inner("random", 2), 5);
    PrescreenStrategy s = new PrescreenStrategy(two, (c, i) -> Screening.of(0), 2, "naswot");
    assertEquals(3, s.ask(10).size()); // 2 + 2 + 1 candidates
    assertTrue(s.ask(1).isEmpty());
  }
}
