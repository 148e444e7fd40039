package dev.strata.experiments.run;

import dev.strata.runs.RunState;
import dev.strata.search.fidelity.PlainScheduler;
import dev.strata.search.strategy.StrategyProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.fidelity.AshaScheduler;
import dev.strata.search.fidelity.Fidelity;
import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {

  @TempDir Path tmp;

  private static final List<StudyPlan> STUDIES =
      List.of(StudyPlan.of("greedy", 1), StudyPlan.of("greedy", 2), StudyPlan.of("random", 1));

  static RunStore create(Path dir) {
    return RunStore.create(dir, dir.getFileName().toString(), "loss", Direction.MINIMIZE, "{}");
  }

  /** Every trial of a run as "label#index" → "config | status | metrics", sorted. */
  static Map<String, String> snapshot(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (RunReader reader = RunStore.openReader(dir)) {
      Map<Long, String> labels = new TreeMap<>();
      for (StudyRecord s : reader.studies()) {
        labels.put(s.id(), s.label());
      }
      int offset = 0;
      while (true) {
        var page = reader.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(), "id", true,
            offset, 1000));
        for (TrialRecord t : page.items()) {
          out.put(labels.get(t.studyId()) + "#" + t.index(),
              t.configuration().canonicalJson() + " | " + t.status() + " | " + new TreeMap<>(t.metrics()));
        }
        offset += page.items().size();
        if (offset >= page.total()) {
          break;
        }
      }
    }
    return out;
  }

  static void assertGaplessEvents(Path dir) {
    try (RunReader reader = RunStore.openReader(dir)) {
      List<RunEvent> events = reader.eventsAfter(0, 10_000);
      for (int i = 0; i < events.size(); i++) {
        assertEquals(i + 1, events.get(i).id(), "event ids have no gaps");
      }
      assertEquals(events.size(), reader.lastEventId());
    }
  }

  @Test
  void progressCountsTheTrialThatReplacedAFinishedOne() {
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(2).reproducible(false)
        .budget(Budget.trials(10)).build();
    List<RunProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (RunStore store = create(tmp.resolve("progress"))) {
      Runner.builder(plan, Fixtures.branin(1, 30), store).strategies(Fixtures.STRATEGIES).progress(seen::add)
          .build().run();
    }
    List<RunProgress> middle = seen.stream().filter(p -> p.done() >= 1 && p.done() <= 8).toList();
    assertFalse(middle.isEmpty());
    for (RunProgress p : middle) {
      assertEquals(2, p.running(), "with trials left, both workers are busy: " + p);
    }
  }

  @Test
  void aStudyUsesWorkersThatAWaitingStudyLeavesFree() {
    // the "greedy" study's scheduler hands out a job only when none of its jobs is running (as a
    // synchronous bracket waits for its rung); "random" may then go past its window
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("greedy", 1), StudyPlan.of("random", 1)))
        .parallel(4).reproducible(false).budget(Budget.trials(12))
        .scheduler((strategy, direction) -> strategy.name().equals("greedy")
            ? new OneAtATime(new PlainScheduler(strategy, 1)) : new PlainScheduler(strategy, 1))
        .build();
    assertEquals(2, plan.window());
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    TrialEvaluator slow = (c, ctx) -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      Fixtures.sleep(40);
      running.decrementAndGet();
      return TrialResult.completed(Map.of("loss", Fixtures.branin(c)), 0.04);
    };
    try (RunStore store = create(tmp.resolve("fill"))) {
      RunSummary summary = Runner.builder(plan, slow, store).strategies(Fixtures.STRATEGIES).build().run();
      assertEquals(24, summary.count(TrialStatus.COMPLETED));
    }
    assertEquals(4, most.get(), "the waiting study's free share went to the other one");
  }

  /** A scheduler that offers a job only while none of its jobs runs. */
  private record OneAtATime(dev.strata.search.fidelity.Scheduler inner) implements dev.strata.search.fidelity.Scheduler {
    public String name() {
      return inner.name();
    }

    public Fidelity fidelity() {
      return inner.fidelity();
    }

    public List<dev.strata.search.fidelity.Job> next(int n) {
      return inner.running() > 0 ? List.of() : inner.next(1);
    }

    public dev.strata.search.fidelity.Decision report(int trialIndex, double resource, double value) {
      return inner.report(trialIndex, resource, value);
    }

    public void complete(int trialIndex, double resource, Outcome outcome) {
      inner.complete(trialIndex, resource, outcome);
    }

    public boolean isFinished() {
      return inner.isFinished();
    }

    public int running() {
      return inner.running();
    }

    public List<dev.strata.search.fidelity.FidelityTrial> trials() {
      return inner.trials();
    }
  }

  @Test
  void runsEachStudyToItsBudgetExactly() {
    Path dir = tmp.resolve("budget");
    RunPlan plan = Fixtures.plan().studies(STUDIES).parallel(3).reproducible(false).budget(Budget.trials(12)).build();
    RunSummary summary;
    List<RunProgress> progress = new ArrayList<>();
    try (RunStore store = create(dir)) {
      summary = Runner.builder(plan, Fixtures.branin(3, 4), store).strategies(Fixtures.STRATEGIES)
          .progress(progress::add).build().run();
      assertEquals("ok", store.integrityCheck());
    }
    assertEquals(RunState.FINISHED, summary.state());
    assertEquals(36, summary.count(TrialStatus.COMPLETED));
    Map<String, String> trials = snapshot(dir);
    assertEquals(36, trials.size());
    for (StudyPlan s : STUDIES) {
      for (int i = 0; i < 12; i++) {
        assertTrue(trials.containsKey(s.label() + "#" + i), s.label() + "#" + i);
      }
    }
    assertGaplessEvents(dir);
    RunProgress last = progress.getLast();
    assertEquals(36, last.done());
    assertEquals(36, last.total());
    assertTrue(last.bestByStrategy().containsKey("greedy") && last.bestByStrategy().containsKey("random"));
    assertTrue(Files.exists(dir.resolve(RunLog.FILE)));
  }

  @Test
  void failuresAreToldAndTheSearchGoesOn() {
    Path dir = tmp.resolve("failures");
    Map<Integer, Outcome> told = new ConcurrentHashMap<>();
    StrategyProvider recording = (name, space, direction, seed, options) -> new Forwarding(
        Fixtures.STRATEGIES.create(name, space, direction, seed, options)) {
      @Override
      public void tell(int index, Outcome outcome) {
        told.put(index, outcome);
        super.tell(index, outcome);
      }
    };
    TrialEvaluator evaluator = (c, ctx) -> switch ((int) (ctx.trialId() % 5)) {
      case 0 -> throw new IllegalStateException("boom " + ctx.trialId());
      case 1 -> TrialResult.failed(TrialStatus.REJECTED, "too large");
      case 2 -> TrialResult.completed(Map.of("loss", Double.NaN), 0.0);
      case 3 -> TrialResult.completed(Map.of("other", 1.0), 0.0);
      default -> TrialResult.completed(Map.of("loss", Fixtures.branin(c)), 0.0);
    };
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("greedy", 1))).parallel(2).reproducible(false)
        .budget(Budget.trials(20)).build();
    try (RunStore store = create(dir)) {
      RunSummary summary = Runner.builder(plan, evaluator, store).strategies(recording).build().run();
      assertEquals(RunState.FINISHED, summary.state());
      assertEquals(4, summary.count(TrialStatus.REJECTED));
      assertEquals(4, summary.count(TrialStatus.DIVERGED));
      assertEquals(8, summary.count(TrialStatus.FAILED));
      assertEquals(4, summary.count(TrialStatus.COMPLETED));
      assertEquals(20, told.size(), "every outcome is told");
      TrialRecord boom = store.trial(5).orElseThrow();
      assertEquals(TrialStatus.FAILED, boom.status());
      assertEquals("IllegalStateException: boom 5", boom.reason());
      assertTrue(store.trial(3).orElseThrow().reason().contains("no 'loss'"));
    }
  }

  @Test
  void commitsBeforeTell() {
    Path dir = tmp.resolve("commit");
    AtomicInteger checked = new AtomicInteger();
    AtomicReference<RunReader> reader = new AtomicReference<>();
    StrategyProvider checking = (name, space, direction, seed, options) -> new Forwarding(
        Fixtures.STRATEGIES.create(name, space, direction, seed, options)) {
      @Override
      public void tell(int index, Outcome outcome) {
        TrialRecord stored = reader.get().trials(new TrialQuery(Optional.empty(), Optional.empty(),
            Optional.empty(), "id", true, 0, 1000)).items().stream().filter(t -> t.index() == index)
            .findFirst().orElseThrow();
        assertTrue(stored.status().isFinished(), "trial #" + index + " is committed before the tell");
        assertEquals(outcome.status(), stored.status());
        checked.incrementAndGet();
        super.tell(index, outcome);
      }
    };
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("greedy", 1))).parallel(2).reproducible(false)
        .budget(Budget.trials(10)).build();
    try (RunStore store = create(dir)) {
      reader.set(store.reader());
      Runner.builder(plan, Fixtures.branin(1, 3), store).strategies(checking).build().run();
      reader.get().close();
    }
    assertEquals(10, checked.get());
  }

  @Test
  void reproducibleRunsAreIdentical() {
    RunPlan plan = Fixtures.plan().studies(STUDIES).parallel(3).reproducible(true).experimentSeed(42)
        .budget(Budget.trials(10)).build();
    Map<String, String> first = runTo(tmp.resolve("a"), plan, 8);
    Map<String, String> second = runTo(tmp.resolve("b"), plan, 3);
    assertEquals(30, first.size());
    assertEquals(first, second);
  }

  /**
   * Reproducible is the default: an experiment file without {@code "reproducible"} that runs two
   * trials of one TPE study at once stores the same trials whichever of the two finishes first. One
   * run finishes the newer trial in hand first, the other the older; told in finishing order (the
   * opt-out), TPE would hear other results before its next proposals and propose other trials.
   */
  @Test
  void parallelRunsAreIdenticalWithoutTheFlag() {
    ExperimentSpec spec = ExperimentReader.parse("""
        {"name": "default", "seed": 3, "objective": {"function": "branin"},
         "search": {"strategies": [{"name": "tpe", "startup": 3}], "budget": {"trials": 12}, "parallel": 2}}
        """, "default.json", tmp);
    RunPlan plan = Plans.of(spec);
    assertTrue(plan.reproducible(), "the default");
    Map<String, String> newestFirst = runInChosenOrder(tmp.resolve("newest-first"), plan, true);
    Map<String, String> oldestFirst = runInChosenOrder(tmp.resolve("oldest-first"), plan, false);
    assertEquals(12, newestFirst.size());
    assertEquals(newestFirst, oldestFirst);
  }

  private static Map<String, String> runInChosenOrder(Path dir, RunPlan plan, boolean newestFirst) {
    return runInChosenOrder(dir, plan, newestFirst, 100);
  }

  private static Map<String, String> runInChosenOrder(Path dir, RunPlan plan, boolean newestFirst, long waitMs) {
    Objective f = TestFunctions.byName("branin");
    TrialEvaluator evaluator = (c, ctx) -> TrialResult.completed(Map.of(plan.metric(), f.evaluate(c)), 0.001);
    try (RunStore store = create(dir);
        ChosenOrderExecutor executor = new ChosenOrderExecutor(evaluator, newestFirst, waitMs)) {
      assertEquals(RunState.FINISHED, Runner.builder(plan, executor, store).build().run().state());
    }
    return snapshot(dir);
  }

  /**
   * Chooses which trial finishes next: one thread runs the trials one at a time; holding two, it
   * runs the newer (or the older) first; holding one, it waits up to {@code waitMs} for a second
   * (in reproducible mode none comes until the held one ends). So results reach the runner newest
   * first (or oldest first) unless the runner takes longer than that to hand out the next trial.
   */
  static final class ChosenOrderExecutor implements TrialExecutor {
    private record Held(TrialTask task, java.util.function.Consumer<TrialMessage> inbox) {}

    private final TrialEvaluator evaluator;
    private final boolean newestFirst;
    private final long waitMs;
    private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
    private final Thread thread;
    private boolean closed;

    ChosenOrderExecutor(TrialEvaluator evaluator, boolean newestFirst, long waitMs) {
      this.evaluator = evaluator;
      this.newestFirst = newestFirst;
      this.waitMs = waitMs;
      this.thread = Thread.ofPlatform().daemon().name("chosen-order").start(this::work);
    }

    @Override
    public synchronized void submit(TrialTask task, java.util.function.Consumer<TrialMessage> inbox) {
      held.addLast(new Held(task, inbox));
      notifyAll();
    }

    @Override
    public void cancel(TrialTask task) {}

    @Override
    public void close() {
      synchronized (this) {
        closed = true;
        notifyAll();
      }
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void work() {
      while (true) {
        Held h;
        synchronized (this) {
          try {
            while (!closed && held.size() < 2) {
              if (held.isEmpty()) {
                wait();
              } else {
                wait(waitMs);
                if (held.size() == 1) {
                  break; // no second one came
                }
              }
            }
          } catch (InterruptedException e) {
            return;
          }
          if (closed) {
            return;
          }
          h = newestFirst ? held.pollLast() : held.pollFirst();
        }
        h.inbox().accept(new TrialMessage.Started(h.task(), "local-1"));
        TaskRun.execute(evaluator, h.task(), h.inbox(), () -> false);
      }
    }
  }

  @Test
  void resumeAfterStopReproducesTheUninterruptedRun() {
    RunPlan plan = Fixtures.plan().studies(STUDIES).parallel(3).reproducible(true).experimentSeed(7)
        .budget(Budget.trials(10)).build();
    Map<String, String> whole = runTo(tmp.resolve("whole"), plan, 6);

    Path dir = tmp.resolve("split");
    AtomicReference<Runner> runner = new AtomicReference<>();
    try (RunStore store = create(dir)) {
      runner.set(Runner.builder(plan, Fixtures.branin(3, 6), store).strategies(Fixtures.STRATEGIES)
          .progress(p -> {
            if (p.done() >= 11) {
              runner.get().requestStop();
            }
          }).build());
      RunSummary summary = runner.get().run();
      assertEquals(RunState.STOPPED, summary.state());
      assertTrue(summary.count(TrialStatus.COMPLETED) < 30);
      assertEquals(0, summary.count(TrialStatus.RUNNING));
    }
    assertEquals("ok", RunStore.integrityCheck(dir));
    try (Resume resume = Resume.open(dir)) {
      RunSummary summary = resume.runner(plan, Fixtures.branin(3, 2)).strategies(Fixtures.STRATEGIES).build().run();
      assertEquals(RunState.FINISHED, summary.state());
      assertEquals(30, summary.count(TrialStatus.COMPLETED));
    }
    assertEquals(whole, snapshot(dir));
    assertGaplessEvents(dir);
  }

  @Test
  void stopInterruptsRunningTrialsAndResumeFinishesThem() {
    Path dir = tmp.resolve("stop");
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(2).reproducible(false)
        .budget(Budget.trials(6)).build();
    TrialEvaluator slow = (c, ctx) -> {
      if (ctx.trialId() >= 3) {
        while (!ctx.shouldStop()) {
          Fixtures.sleep(2);
        }
        return new TrialResult(TrialStatus.INTERRUPTED, Map.of(), 0, 0, 0, null, "stopped");
      }
      return TrialResult.completed(Map.of("loss", 1.0), 0.01);
    };
    AtomicReference<Runner> runner = new AtomicReference<>();
    Map<Long, String> configs = new TreeMap<>();
    try (RunStore store = create(dir)) {
      runner.set(Runner.builder(plan, slow, store).strategies(Fixtures.STRATEGIES).progress(p -> {
        if (p.done() == 2 && p.running() == 2) {
          runner.get().requestStop();
        }
      }).build());
      Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
        Fixtures.sleep(3000);
        runner.get().requestStop();
      });
      RunSummary summary = runner.get().run();
      watchdog.interrupt();
      assertEquals(RunState.STOPPED, summary.state());
      assertEquals(2, summary.count(TrialStatus.COMPLETED));
      assertEquals(2, summary.count(TrialStatus.INTERRUPTED));
      assertEquals(RunState.STOPPED, store.experiment().state());
      for (long id = 3; id <= 4; id++) {
        configs.put(id, store.trial(id).orElseThrow().configuration().canonicalJson());
      }
    }
    try (Resume resume = Resume.open(dir)) {
      RunSummary summary = resume.runner(plan, Fixtures.branin(1, 0)).strategies(Fixtures.STRATEGIES).build().run();
      assertEquals(6, summary.count(TrialStatus.COMPLETED));
      for (long id = 3; id <= 4; id++) {
        TrialRecord t = resume.store().trial(id).orElseThrow();
        assertEquals(TrialStatus.COMPLETED, t.status(), "interrupted trial " + id + " ran again");
        assertEquals(configs.get(id), t.configuration().canonicalJson());
      }
    }
  }

  @Test
  void aTrialPastItsTimeLimitFails() {
    Path dir = tmp.resolve("timeout");
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(1)
        .budget(Budget.trials(2)).maxTrialSeconds(0.05).build();
    TrialEvaluator forever = (c, ctx) -> {
      while (!ctx.shouldStop()) {
        Fixtures.sleep(5);
      }
      return new TrialResult(TrialStatus.INTERRUPTED, Map.of(), 0, 0, 0, null, "");
    };
    try (RunStore store = create(dir)) {
      RunSummary summary = Runner.builder(plan, forever, store).strategies(Fixtures.STRATEGIES).build().run();
      assertEquals(2, summary.count(TrialStatus.FAILED));
      assertTrue(store.trial(1).orElseThrow().reason().startsWith("timed out"));
    }
  }

  @Test
  void ashaPromotesTrialsFromTheirCheckpoints() throws IOException {
    Path dir = tmp.resolve("asha");
    AtomicInteger continued = new AtomicInteger();
    TrialEvaluator evaluator = checkpointing(continued, 0);
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1), StudyPlan.of("greedy", 1)))
        .parallel(2).reproducible(false).budget(Budget.trials(18))
        .scheduler((s, d) -> new AshaScheduler(s, d, Fidelity.of(1, 9, 3))).build();
    try (RunStore store = create(dir)) {
      RunSummary summary = Runner.builder(plan, evaluator, store).strategies(Fixtures.STRATEGIES).build().run();
      assertEquals(RunState.FINISHED, summary.state());
      assertEquals(36, summary.count(TrialStatus.COMPLETED) + summary.count(TrialStatus.PRUNED));
      assertTrue(summary.count(TrialStatus.COMPLETED) >= 2, "some trials reach the top rung");
      assertTrue(summary.count(TrialStatus.PRUNED) >= 18, "most stop at a low rung");
      assertTrue(continued.get() >= 4, "promotions continue from checkpoints: " + continued.get());
      try (RunReader reader = store.reader()) {
        TrialRecord top = reader.trials(new TrialQuery(Optional.empty(), Optional.empty(),
            Optional.of(TrialStatus.COMPLETED), "value", true, 0, 1)).items().getFirst();
        assertEquals(9, reader.curve(top.id()).size(), "the learning curve spans every rung");
      }
    }
    assertGaplessEvents(dir);
  }

  /** An evaluator that continues from checkpoints (the file holds the epochs done). */
  static TrialEvaluator checkpointing(AtomicInteger continued, int maxSleepMs) {
    return (c, ctx) -> {
      int from = 0;
      if (ctx.resumeFrom().isPresent()) {
        try {
          from = Integer.parseInt(Files.readString(ctx.resumeFrom().get()).trim());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        continued.incrementAndGet();
      }
      double v = Fixtures.branin(c);
      for (int e = from + 1; e <= ctx.resource(); e++) {
        Fixtures.sleep(maxSleepMs == 0 ? 0 : Math.floorMod(ctx.seed() + e, maxSleepMs + 1));
        if (!ctx.reportEpoch(e, v + 10.0 / e, v + 10.0 / e, v + 10.0 / e, e * 0.01)) {
          return new TrialResult(TrialStatus.INTERRUPTED, Map.of(), 0, 0, 0, null, "");
        }
      }
      try {
        Files.writeString(ctx.checkpointPath(), Integer.toString(ctx.resource()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return TrialResult.completed(Map.of("loss", v + 10.0 / ctx.resource()), 0.01 * (ctx.resource() - from));
    };
  }

  @Test
  void ashaResumeReproducesTheUninterruptedRun() {
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("greedy", 1), StudyPlan.of("random", 3)))
        .parallel(2).reproducible(true).experimentSeed(5).budget(Budget.trials(12))
        .scheduler((s, d) -> new AshaScheduler(s, d, Fidelity.of(1, 9, 3))).build();
    Path whole = tmp.resolve("asha-whole");
    try (RunStore store = create(whole)) {
      assertEquals(RunState.FINISHED, Runner.builder(plan, checkpointing(new AtomicInteger(), 2), store)
          .strategies(Fixtures.STRATEGIES).build().run().state());
    }
    Path dir = tmp.resolve("asha-split");
    AtomicReference<Runner> runner = new AtomicReference<>();
    try (RunStore store = create(dir)) {
      runner.set(Runner.builder(plan, checkpointing(new AtomicInteger(), 3), store).strategies(Fixtures.STRATEGIES)
          .progress(p -> {
            if (p.done() >= 6) {
              runner.get().requestStop();
            }
          }).build());
      assertEquals(RunState.STOPPED, runner.get().run().state());
    }
    try (Resume resume = Resume.open(dir)) {
      assertEquals(RunState.FINISHED, resume.runner(plan, checkpointing(new AtomicInteger(), 1))
          .strategies(Fixtures.STRATEGIES).build().run().state());
    }
    Map<String, String> expected = snapshot(whole);
    assertEquals(24, expected.size());
    assertEquals(expected, snapshot(dir));
  }

  @Test
  void aWallClockBudgetEndsTheRun() {
    Path dir = tmp.resolve("clock");
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(2).reproducible(false)
        .budget(new Budget(0, 0, java.time.Duration.ofMillis(400))).build();
    TrialEvaluator slow = (c, ctx) -> {
      Fixtures.sleep(40);
      return TrialResult.completed(Map.of("loss", 1.0), 0.04);
    };
    try (RunStore warm = create(tmp.resolve("warm-up"))) {
      // a cold JVM loads the store, the strategies and the threads first: not what the budget measures
      Runner.builder(Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).budget(Budget.trials(2)).build(), slow,
          warm).strategies(Fixtures.STRATEGIES).build().run();
    }
    try (RunStore store = create(dir)) {
      long t0 = System.nanoTime();
      RunSummary summary = Runner.builder(plan, slow, store).strategies(Fixtures.STRATEGIES).build().run();
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(RunState.FINISHED, summary.state());
      assertTrue(seconds < 2, "stopped near the limit: " + seconds);
      // more than the first two: trials went on starting until the limit (under heavy load 3, idle about 18)
      assertTrue(summary.count(TrialStatus.COMPLETED) > plan.parallel(), "ran trials until the limit: "
          + summary.byStatus());
      assertEquals(summary.count(TrialStatus.COMPLETED), summary.byStatus().values().stream().mapToInt(i -> i).sum());
    }
  }

  @Test
  void studiesShareTheWorkersEqually() {
    Path dir = tmp.resolve("fair");
    AtomicReference<Runner> runner = new AtomicReference<>();
    try (RunStore store = create(dir)) {
      RunPlan plan = Fixtures.plan().studies(STUDIES).parallel(2).reproducible(false).budget(Budget.trials(50)).build();
      runner.set(Runner.builder(plan, Fixtures.branin(1, 3), store).strategies(Fixtures.STRATEGIES).progress(p -> {
            if (p.done() >= 30) {
              runner.get().requestStop();
            }
          }).build());
      runner.get().run();
    }
    Map<String, Integer> perStudy = new TreeMap<>();
    snapshot(dir).forEach((k, v) -> {
      if (v.contains("COMPLETED")) {
        perStudy.merge(k.substring(0, k.indexOf('#')), 1, Integer::sum);
      }
    });
    // Round-robin with one job outstanding per study shares the workers' time; trial counts follow
    // only as far as durations allow (0-3 ms sleeps plus scheduling jitter: 12/7/11 was seen under
    // load). A scheduler that favoured one study would give it 15 or more, or starve one below 6.
    for (StudyPlan s : STUDIES) {
      int n = perStudy.getOrDefault(s.label(), 0);
      assertTrue(n >= 6 && n <= 14, "round-robin share of " + s.label() + ": " + perStudy);
    }
  }

  @Test
  void seedsAreAStableHashChain() {
    assertEquals(Seeds.trial(1, "tpe", 2, 3), Seeds.trial(1, "tpe", 2, 3));
    assertFalse(Seeds.trial(1, "tpe", 2, 3) == Seeds.trial(1, "tpe", 2, 4));
    assertFalse(Seeds.trial(1, "tpe", 2, 3) == Seeds.trial(1, "random", 2, 3));
    assertFalse(Seeds.trial(1, "tpe", 2, 3) == Seeds.trial(2, "tpe", 2, 3));
    assertEquals(0xE220A8397B1DCDAFL, Seeds.mix(0), "SplitMix64 of 0");
  }

  /** Runs a plan to completion with sleeps up to maxSleepMs and returns the snapshot. */
  static Map<String, String> runTo(Path dir, RunPlan plan, int maxSleepMs) {
    try (RunStore store = create(dir)) {
      RunSummary s = Runner.builder(plan, Fixtures.branin(3, maxSleepMs), store).strategies(Fixtures.STRATEGIES)
          .build().run();
      assertEquals(RunState.FINISHED, s.state());
    }
    return snapshot(dir);
  }

  /** A strategy forwarding to another, to observe calls. */
  static class Forwarding implements Strategy {
    private final Strategy delegate;

    Forwarding(Strategy delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public List<Proposal> ask(int n) {
      return delegate.ask(n);
    }

    @Override
    public void tell(int index, Outcome outcome) {
      delegate.tell(index, outcome);
    }
  }
}
