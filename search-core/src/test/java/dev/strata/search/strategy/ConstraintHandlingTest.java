package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Constraint;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Strategies learn a feasibility constraint from told violations. The problem: the contract
 * tests' categorical table minus 0.4 per {@code k5} layer, so the unconstrained optimum is all
 * {@code k5}, under the budget {@code cost = count(k5) ≤ 2} (a parameter budget in miniature);
 * 32% of uniform configurations break it. Each run: 60 sequential asks, seeds 1..4; measured
 * over the asks 31..60, with the violations told and with them withheld (then every strategy
 * chases the all-{@code k5} corner).
 *
 * <p>Bounds: told, every learning strategy proposes fewer infeasible configurations than when not
 * told; TPE and both evolutions at most 60% as many (measured: tpe 34 vs 70, regularized-evolution
 * 20 vs 91, evolution 25 vs 67 of 120). Bayesian optimisation learns the penalty only weakly
 * through its GP (51 vs 65 with 64 candidates), hence the plain bound; a probability-of-
 * feasibility model is left for later.
 */
class ConstraintHandlingTest {

  private static final Constraint BUDGET = Constraint.atMost("cost", 2);

  static double cost(Configuration c) {
    int k5 = 0;
    for (int i = 0; i < 6; i++) {
      if ("k5".equals(c.get("l" + i))) {
        k5++;
      }
    }
    return k5;
  }

  static Outcome outcome(Configuration c) {
    double cost = cost(c);
    double value = StrategyContractTest.categoricalValue(c) - 0.4 * cost;
    return Outcome.completed(value, Map.of("cost", cost))
        .withViolation(Constraint.violation(List.of(BUDGET), Map.of("cost", cost)));
  }

  /** Infeasible proposals among asks 31..60, summed over seeds 1..4 (of 120). */
  static int lateInfeasible(String strategy, Map<String, Object> options) {
    return lateInfeasible(strategy, options, true);
  }

  static int lateInfeasible(String strategy, Map<String, Object> options, boolean told) {
    int infeasible = 0;
    for (long seed = 1; seed <= 4; seed++) {
      Strategy s = Strategies.create(strategy, StrategyContractTest.CATEGORICAL, Direction.MINIMIZE, seed, options);
      for (int i = 0; i < 60; i++) {
        Proposal p = s.ask(1).getFirst();
        Outcome o = outcome(p.configuration());
        if (i >= 30 && !o.isFeasible()) {
          infeasible++;
        }
        s.tell(p.index(), told ? o : o.withViolation(0));
      }
    }
    return infeasible;
  }

  @Test
  void learningStrategiesAvoidTheInfeasibleRegion() {
    int random = lateInfeasible("random", Map.of());
    System.out.printf("constraint: random %d of 120 late asks infeasible%n", random);
    for (String name : List.of("tpe", "bayesian", "regularized-evolution", "evolution")) {
      Map<String, Object> options = name.equals("bayesian") ? Map.of("candidates", 64) : Map.of();
      int n = lateInfeasible(name, options);
      int blind = lateInfeasible(name, options, false);
      System.out.printf("constraint: %s %d of 120 late asks infeasible (%d when not told)%n", name, n, blind);
      assertTrue(n < blind, name + ": " + n + " infeasible when told, " + blind + " when not");
      if (!name.equals("bayesian")) {
        assertTrue(n <= 0.6 * blind, name + ": " + n + " infeasible when told, not <= 60% of " + blind);
      }
    }
  }

  @Test
  void violationIsRelativeToTheBrokenBound() {
    assertEquals(0, BUDGET.violation(2), 0);
    assertEquals(0.5, BUDGET.violation(3), 1e-12);
    assertEquals(0.2, Constraint.atLeast("acc", 0.8).violation(0.6), 1e-12); // bound < 1: scale 1
    assertEquals(1, Constraint.violation(List.of(BUDGET), Map.of()), 0);
    assertEquals("cost <= 2", BUDGET.toString());
  }

  @Test
  void infeasibleTrialsRankBelowFeasibleAndFailedOnesByViolation() {
    TpeStrategy s = (TpeStrategy) Strategies.create("tpe", StrategyContractTest.CATEGORICAL, Direction.MINIMIZE, 1,
        Map.of());
    List<Proposal> ps = s.ask(5);
    s.tell(0, Outcome.completed(5.0));
    s.tell(1, Outcome.completed(1.0));
    s.tell(2, Outcome.completed(-100.0).withViolation(0.5));
    s.tell(3, Outcome.completed(-200.0).withViolation(2.0));
    s.tell(4, Outcome.failed(dev.strata.search.trial.TrialStatus.FAILED, "crash"));
    double feasibleWorst = s.loss(s.trials.get(0));
    double failed = s.loss(s.trials.get(4));
    double mild = s.loss(s.trials.get(2));
    double severe = s.loss(s.trials.get(3));
    assertEquals(5.0, feasibleWorst, 0);
    assertEquals(5.4, failed, 1e-12); // worst + 10% of the feasible range 4
    assertTrue(failed < mild && mild < severe, failed + " < " + mild + " < " + severe);
    assertEquals(5.4 + 4 * (0.1 + 0.5), mild, 1e-12);
    assertEquals(5, ps.size());
  }
}
