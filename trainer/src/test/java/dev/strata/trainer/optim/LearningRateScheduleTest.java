package dev.strata.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.trainer.spec.ScheduleSpec;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void shapesFollowTheirFormulas() {
    assertEquals(0.1, new LearningRateSchedule(ScheduleSpec.constant(), 0.1, 10).rate(7, 70, 10), 1e-15);
    LearningRateSchedule step = new LearningRateSchedule(ScheduleSpec.step(3, 0.5), 0.1, 10);
    assertEquals(0.1, step.rate(2, 0, 10), 1e-15);
    assertEquals(0.05, step.rate(3, 0, 10), 1e-15);
    assertEquals(0.025, step.rate(6, 0, 10), 1e-15);
    assertEquals(0.1 * Math.pow(0.9, 4), new LearningRateSchedule(ScheduleSpec.exponential(0.9), 0.1, 10).rate(4, 0, 1), 1e-15);
    LearningRateSchedule cos = new LearningRateSchedule(ScheduleSpec.cosine(0.01), 0.1, 10);
    assertEquals(0.1, cos.rate(0, 0, 1), 1e-15);
    assertEquals(0.055, cos.rate(5, 0, 1), 1e-15);
    assertEquals(0.01 + 0.09 * (1 + Math.cos(Math.PI * 0.9)) / 2, cos.rate(9, 0, 1), 1e-15);
  }

  @Test
  void warmupRampsLinearlyPerStep() {
    LearningRateSchedule s = new LearningRateSchedule(ScheduleSpec.constant().withWarmupEpochs(2), 0.1, 10);
    // 5 steps per epoch: 10 warm-up steps, rate (s + 1) / 10 * 0.1
    assertEquals(0.01, s.rate(0, 0, 5), 1e-15);
    assertEquals(0.05, s.rate(0, 4, 5), 1e-15);
    assertEquals(0.1, s.rate(1, 9, 5), 1e-15);
    assertEquals(0.1, s.rate(3, 17, 5), 1e-15);
  }
}
