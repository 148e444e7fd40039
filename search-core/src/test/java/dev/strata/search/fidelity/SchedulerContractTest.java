package dev.strata.search.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.strategy.BudgetedStrategy;
import dev.strata.search.space.ChoiceParameter;
import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scheduler over registered strategies, with two workers, reports every unit of resource:
 * same seed gives the same jobs, a fresh instance fed the recorded calls continues identically,
 * and every configuration is told to the strategy exactly once.
 */
class SchedulerContractTest {

  private static final ParameterSpace SPACE = ParameterSpace.of(FloatParameter.of("lr", 0, 1),
      ChoiceParameter.of("act", "relu", "tanh"));
  private static final Fidelity FIDELITY = Fidelity.of(1, 9);

  interface Maker extends BiFunction<Strategy, Direction, Scheduler> {}

  static Stream<Arguments> schedulers() {
    Map<String, Maker> makers = Map.of(
        "successive-halving", (s, d) -> new SuccessiveHalvingScheduler(s, d, FIDELITY, 9, 0),
        "hyperband", (s, d) -> new HyperbandScheduler(s, d, FIDELITY, 0),
        "asha", (s, d) -> new AshaScheduler(s, d, FIDELITY),
        "median-stopping", (s, d) -> MedianStoppingScheduler.of(s, d, FIDELITY),
        "plain", (s, d) -> new PlainScheduler(s, 1),
        "budgeted-asha", (s, d) -> new AshaScheduler(new BudgetedStrategy(s, 40), d, FIDELITY));
    List<Arguments> out = new ArrayList<>();
    for (String rule : List.of("successive-halving", "hyperband", "asha", "median-stopping", "plain", "budgeted-asha")) {
      for (String strategy : List.of("random", "tpe")) {
        out.add(Arguments.of(rule, strategy, makers.get(rule)));
      }
    }
    return out.stream();
  }

  /** A learning curve: loss(lr, act, r) = (lr − 0.3)² + [act = tanh]·0.1 + 0.5/r. */
  static double loss(Configuration c, double r) {
    double lr = ((Number) c.get("lr")).doubleValue();
    return (lr - 0.3) * (lr - 0.3) + ("tanh".equals(c.get("act")) ? 0.1 : 0) + 0.5 / r;
  }

  /** One recorded call. */
  sealed interface Call {}
  record Next(int n) implements Call {}
  record Report(int trial, double resource, double value) implements Call {}
  record Complete(int trial, double resource, Outcome outcome) implements Call {}

  /** Two workers: keeps two jobs in flight, advancing the older one unit at a time. */
  static List<Job> drive(Scheduler s, int steps, List<Call> log) {
    List<Job> handed = new ArrayList<>();
    Deque<double[]> running = new ArrayDeque<>(); // trial, from, to, current
    Map<Integer, Configuration> configs = new java.util.HashMap<>();
    for (int step = 0; step < steps; step++) {
      if (running.size() < 2) {
        log.add(new Next(2 - running.size()));
        for (Job j : s.next(2 - running.size())) {
          handed.add(j);
          configs.put(j.trialIndex(), j.configuration());
          double from = j instanceof Job.Promote p ? p.fromResource() : 0;
          running.add(new double[] {j.trialIndex(), from, j.resource(), from});
        }
      }
      if (running.isEmpty()) {
        break;
      }
      double[] job = running.poll();
      int trial = (int) job[0];
      job[3] = Math.min(job[2], Math.floor(job[3]) + 1);
      double value = loss(configs.get(trial), job[3]);
      log.add(new Report(trial, job[3], value));
      Decision d = s.report(trial, job[3], value);
      if (d == Decision.STOP) {
        Outcome o = new Outcome(TrialStatus.PRUNED, Double.NaN, null, null);
        log.add(new Complete(trial, job[3], o));
        s.complete(trial, job[3], o);
      } else if (job[3] >= job[2]) {
        Outcome o = trial % 7 == 3 ? Outcome.failed(TrialStatus.FAILED, "crash")
            : Outcome.completed(value);
        log.add(new Complete(trial, job[3], o));
        s.complete(trial, job[3], o);
      } else {
        running.add(job);
      }
    }
    return handed;
  }

  static void replay(Scheduler s, List<Call> log) {
    for (Call c : log) {
      switch (c) {
        case Next n -> s.next(n.n());
        case Report r -> s.report(r.trial(), r.resource(), r.value());
        case Complete c2 -> s.complete(c2.trial(), c2.resource(), c2.outcome());
      }
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("schedulers")
  void deterministicRebuildableAndTellsOnce(String rule, String strategyName, Maker maker) {
    Strategy strategy = Strategies.create(strategyName, SPACE, Direction.MINIMIZE, 5, Map.of());
    Scheduler a = maker.apply(strategy, Direction.MINIMIZE);
    // A plain scheduler is the strategy itself; a budget wrapped around the strategy does not rename it.
    String expected = switch (rule) {
      case "plain" -> strategyName;
      case "budgeted-asha" -> "asha(" + strategyName + ")";
      default -> rule + "(" + strategyName + ")";
    };
    assertEquals(expected, a.name());
    List<Call> log = new ArrayList<>();
    List<Job> jobsA = drive(a, 150, log);
    assertTrue(jobsA.size() > 20, rule + ": only " + jobsA.size() + " jobs");

    Scheduler b = maker.apply(
        Strategies.create(strategyName, SPACE, Direction.MINIMIZE, 5, Map.of()), Direction.MINIMIZE);
    assertEquals(jobsA, drive(b, 150, new ArrayList<>()), "same seed, same jobs");

    Scheduler rebuilt = maker.apply(
        Strategies.create(strategyName, SPACE, Direction.MINIMIZE, 5, Map.of()), Direction.MINIMIZE);
    replay(rebuilt, log);
    assertEquals(a.trials(), rebuilt.trials());
    assertEquals(a.next(3), rebuilt.next(3), "a rebuilt scheduler continues identically");

    // Told at most once each (Strategy.tell throws on a second tell); finished ones all told.
    for (FidelityTrial t : a.trials()) {
      assertTrue(t.resource() <= FIDELITY.max());
    }
  }
}
