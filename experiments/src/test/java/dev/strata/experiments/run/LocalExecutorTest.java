package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The executor's message contract on the local pool: Started, epochs answered by the runner, exactly one Ended. */
class LocalExecutorTest {

  private static TrialTask task(long id) {
    return new TrialTask(id, "random/s1 #" + id, 7, 3, 0, new Configuration(Map.of("x", 1.0)), Optional.empty(),
        Path.of("trial-" + id + ".ckpt"));
  }

  private static TrialMessage next(BlockingQueue<TrialMessage> inbox) throws InterruptedException {
    TrialMessage m = inbox.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 10 s");
    }
    return m;
  }

  @Test
  void epochsWaitForTheRunnersAnswerAndARefusedEpochStopsTheTask() throws Exception {
    BlockingQueue<TrialMessage> inbox = new LinkedBlockingQueue<>();
    TrialEvaluator evaluator = (c, ctx) -> {
      int epoch = 0;
      while (ctx.reportEpoch(++epoch, 1.0 / epoch, Double.NaN, epoch, 0.01)) {
        // trains until told to stop
      }
      return TrialResult.completed(Map.of("epochs", (double) epoch), 0.1);
    };
    try (LocalExecutor executor = new LocalExecutor(evaluator, 2)) {
      TrialTask t = task(1);
      executor.submit(t, inbox::add);
      TrialMessage.Started started = assertInstanceOf(TrialMessage.Started.class, next(inbox));
      assertTrue(started.worker().startsWith("local-"), started.worker());
      for (int epoch = 1; epoch <= 3; epoch++) {
        TrialMessage.Epoch e = assertInstanceOf(TrialMessage.Epoch.class, next(inbox));
        assertEquals(epoch, e.epoch().epoch());
        assertEquals(1, e.epoch().trialId());
        e.answer().accept(epoch < 3);
      }
      TrialMessage.Ended ended = assertInstanceOf(TrialMessage.Ended.class, next(inbox));
      assertNull(ended.error());
      assertEquals(3.0, ended.result().metrics().get("epochs"));
      assertNull(inbox.poll(200, TimeUnit.MILLISECONDS), "nothing after Ended");
    }
  }

  @Test
  void aCancelledTaskSeesShouldStopAndAnEvaluatorThatThrowsStillEndsOnce() throws Exception {
    BlockingQueue<TrialMessage> inbox = new LinkedBlockingQueue<>();
    TrialEvaluator evaluator = (c, ctx) -> {
      if (ctx.trialId() == 2) {
        throw new IllegalStateException("boom");
      }
      while (!ctx.shouldStop()) {
        Thread.onSpinWait();
      }
      return TrialResult.failed(dev.strata.search.trial.TrialStatus.INTERRUPTED, "stopped");
    };
    try (LocalExecutor executor = new LocalExecutor(evaluator, 2)) {
      TrialTask waiting = task(1);
      executor.submit(waiting, inbox::add);
      assertInstanceOf(TrialMessage.Started.class, next(inbox));
      executor.submit(task(2), inbox::add);
      List<TrialMessage> two = List.of(next(inbox), next(inbox));
      TrialMessage.Ended failed = (TrialMessage.Ended) two.stream().filter(m -> m instanceof TrialMessage.Ended)
          .findFirst().orElseThrow();
      assertEquals(2, failed.task().trialId());
      assertEquals("boom", failed.error().getMessage());
      assertFalse(inbox.stream().anyMatch(m -> m.task().trialId() == 1), "task 1 runs until cancelled");
      executor.cancel(waiting);
      TrialMessage.Ended stopped = assertInstanceOf(TrialMessage.Ended.class, next(inbox));
      assertEquals(1, stopped.task().trialId());
      assertEquals("stopped", stopped.result().reason());
    }
  }
}
