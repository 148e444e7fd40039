package dev.strata.trainer.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Compact-constructor validation of the spec records built in code (pointers relative to the record). */
class SpecValidationTest {

  @Test
  void blocksRejectBadValuesWithRelativePointers() {
    SpecException e = assertThrows(SpecException.class, () -> PlainBlock.of(0, 1, Activation.RELU));
    assertEquals("/width: must be >= 1, got 0; use a positive layer width such as 64", e.getMessage());
    assertEquals("/layers", assertThrows(SpecException.class, () -> ResidualBlock.of(4, 0, Activation.RELU)).pointer());
    assertEquals("/dropout", assertThrows(SpecException.class,
        () -> PlainBlock.of(4, 1, Activation.RELU).withDropout(1.0)).pointer());
    assertEquals("/branches", assertThrows(SpecException.class, () -> InceptionBlock.of(List.of())).pointer());
    assertEquals("/projection", assertThrows(SpecException.class,
        () -> InceptionBlock.of(List.of(InceptionBlock.Branch.of(3, 1, Activation.RELU))).withProjection(0)).pointer());
  }

  @Test
  void trainingSpecRejectsBadValues() {
    TrainingSpec t = TrainingSpec.defaults();
    assertEquals("/batchSize", assertThrows(SpecException.class, () -> t.withBatchSize(0)).pointer());
    assertEquals("/epochs", assertThrows(SpecException.class, () -> t.withEpochs(0)).pointer());
    assertEquals("/weightDecay", assertThrows(SpecException.class, () -> t.withWeightDecay(-1)).pointer());
    assertEquals("/learningRate", assertThrows(SpecException.class, () -> t.withLearningRate(0)).pointer());
    assertEquals("/gamma", assertThrows(SpecException.class, () -> ScheduleSpec.exponential(1.5)).pointer());
    assertEquals("/fraction", assertThrows(SpecException.class, () -> WeightInit.sparse(0)).pointer());
    SpecException e = assertThrows(SpecException.class, () -> t.toBuilder().momentum(1.0).build());
    assertTrue(e.getMessage().startsWith("/momentum: must be in [0, 1), got 1.0;"), e.getMessage());
  }

  @Test
  void withOptimizerResetsOptimizerSpecificDefaults() {
    TrainingSpec t = TrainingSpec.defaults().withOptimizer(OptimizerType.SGD);
    assertEquals(0.01, t.learningRate());
    assertEquals(0.05, t.withLearningRate(0.05).learningRate());
    assertEquals(OptimizerType.SGD, t.optimizer());
  }

  @Test
  void derivedWidths() {
    InceptionBlock b = InceptionBlock.of(List.of(InceptionBlock.Branch.of(3, 1, Activation.RELU),
        InceptionBlock.Branch.of(5, 2, Activation.TANH)));
    assertEquals(8, b.outputWidth());
    assertEquals(4, b.withProjection(4).outputWidth());
    NetworkSpec s = NetworkSpec.builder().inputs(7).outputs(2).build();
    assertEquals(7, s.lastHiddenWidth());
    assertEquals(8, s.withBlocks(List.of(b)).lastHiddenWidth());
  }
}
