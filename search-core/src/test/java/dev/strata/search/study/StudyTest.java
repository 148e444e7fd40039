package dev.strata.search.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.fidelity.AshaScheduler;
import dev.strata.search.fidelity.Fidelity;
import dev.strata.search.fidelity.HyperbandScheduler;
import dev.strata.search.fidelity.PlainScheduler;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.fidelity.SuccessiveHalvingScheduler;
import dev.strata.search.space.ChoiceParameter;
import dev.strata.search.space.FloatParameter;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.strategy.BudgetedStrategy;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A study driven as a runner drives it (several jobs in flight, results back in a shuffled order)
 * over an in-memory store, for every scheduler: each trial is told once, paused trials end PRUNED,
 * and an ordered study that crashes mid-way and resumes from its store ends exactly where an
 * uninterrupted one ends.
 */
class StudyTest {

  private static final ParameterSpace SPACE = ParameterSpace.of(FloatParameter.of("lr", 0, 1),
      ChoiceParameter.of("act", "relu", "tanh"));
  private static final Fidelity FIDELITY = Fidelity.of(1, 9);
  private static final int TRIALS = 24;
  private static final int PARALLEL = 3;

  static Stream<Arguments> schedulers() {
    Map<String, Function<Strategy, Scheduler>> makers = Map.of(
        "plain", s -> new PlainScheduler(s, 9),
        "asha", s -> new AshaScheduler(s, Direction.MINIMIZE, FIDELITY),
        "successive-halving", s -> new SuccessiveHalvingScheduler(s, Direction.MINIMIZE, FIDELITY, 9, 0),
        "hyperband", s -> new HyperbandScheduler(s, Direction.MINIMIZE, FIDELITY, 0));
    return makers.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  private static double loss(Configuration c, double resource) {
    double lr = ((Number) c.values().get("lr")).doubleValue();
    return (lr - 0.3) * (lr - 0.3) + ("tanh".equals(c.values().get("act")) ? 0.1 : 0) + 1.0 / resource;
  }

  private static Study study(InMemoryStudyStore store, StudyRecord record, Function<Strategy, Scheduler> maker,
      boolean ordered) {
    Strategy strategy = new BudgetedStrategy(Strategies.create("random", SPACE, Direction.MINIMIZE, 11, Map.of()),
        TRIALS);
    Study.Builder b = Study.builder(store, record, maker.apply(strategy)).trialSeeds(i -> 1000L + i);
    return (ordered ? b.ordered(PARALLEL) : b).build();
  }

  /**
   * Runs until the study is done or {@code crashAfter} results were told; jobs in flight at a crash
   * are lost, as a killed process loses them.
   */
  private static void drive(Study study, boolean ordered, Random order, int crashAfter) {
    List<StudyJob> inFlight = new ArrayList<>();
    int told = 0;
    if (ordered) {
      study.drain();
    }
    while (!study.isDone() && told < crashAfter) {
      while (inFlight.size() < PARALLEL) {
        if (!ordered && !study.hasReady() && study.canAsk(PARALLEL)) {
          study.ask();
        }
        var job = study.poll();
        if (job.isEmpty()) {
          break;
        }
        inFlight.add(job.get());
      }
      if (inFlight.isEmpty()) {
        study.finishIfDone();
        assertTrue(study.isDone(), "nothing in flight and nothing to ask: the study must be done");
        break;
      }
      StudyJob job = inFlight.remove(order.nextInt(inFlight.size()));
      study.tell(job, Outcome.completed(loss(job.configuration(), job.resource())), 0.5, Study.Trained.NOTHING);
      told++;
      study.finishIfDone();
    }
  }

  private static List<String> trials(InMemoryStudyStore store, StudyRecord record) {
    return store.studyTrials(record.id()).stream().map(t -> t.record().index() + " " + t.record().configuration()
        .canonicalJson() + " " + t.record().status() + " " + t.record().value() + " seed " + t.seed()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedulers")
  void everyTrialIsToldOnceAndEndsFinished(String name, Function<Strategy, Scheduler> maker) {
    InMemoryStudyStore store = new InMemoryStudyStore();
    StudyRecord record = store.addStudy("random", 1, TRIALS, Map.of());
    Study study = study(store, record, maker, false);
    drive(study, false, new Random(5), Integer.MAX_VALUE);
    assertTrue(study.isDone());
    List<StoredTrial> all = store.studyTrials(record.id());
    assertEquals(TRIALS, all.size(), "the trial budget");
    assertTrue(all.stream().allMatch(t -> t.record().status().isFinished()), () -> trials(store, record).toString());
    assertTrue(all.stream().allMatch(t -> t.seed() == 1000L + t.record().index()), "seeds from the trial index");
    Set<Integer> completed = new HashSet<>();
    for (StrategyCall c : store.callLog(record.id())) {
      if (c.kind() == StrategyCall.Kind.COMPLETE && c.outcome().orElseThrow().status() == TrialStatus.COMPLETED
          && c.resource() >= FIDELITY.max()) {
        assertTrue(completed.add(c.index()), "trial " + c.index() + " completed at the maximum twice");
      }
    }
    long atMax = all.stream().filter(t -> t.record().status() == TrialStatus.COMPLETED).count();
    assertEquals(atMax, completed.size(), "every COMPLETED trial was told at the maximum resource once");
    if (!name.equals("plain")) {
      assertTrue(all.stream().anyMatch(t -> t.record().status() == TrialStatus.PRUNED), "a scheduler prunes");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedulers")
  void anOrderedStudyResumedAfterACrashEndsAsAnUninterruptedOne(String name, Function<Strategy, Scheduler> maker) {
    InMemoryStudyStore whole = new InMemoryStudyStore();
    StudyRecord wholeRecord = whole.addStudy("random", 1, TRIALS, Map.of());
    drive(study(whole, wholeRecord, maker, true), true, new Random(1), Integer.MAX_VALUE);

    InMemoryStudyStore crashed = new InMemoryStudyStore();
    StudyRecord record = crashed.addStudy("random", 1, TRIALS, Map.of());
    Study first = study(crashed, record, maker, true);
    drive(first, true, new Random(2), 9);
    assertFalse(first.isDone(), "it crashed mid-way");
    for (int crash = 0; crash < 3; crash++) {
      Study again = study(crashed, record, maker, true);
      Study.Resumed r = again.resume();
      assertTrue(r.calls() > 0, "the call log was replayed");
      again.handOver();
      drive(again, true, new Random(3 + crash), crash < 2 ? 5 : Integer.MAX_VALUE);
    }
    assertEquals(trials(whole, wholeRecord), trials(crashed, record));
  }
}
