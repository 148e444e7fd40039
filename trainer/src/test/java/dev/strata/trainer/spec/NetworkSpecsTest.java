package dev.strata.trainer.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkSpecsTest {

  static NetworkSpec sample() {
    return NetworkSpec.builder()
        .inputs(64)
        .outputs(10)
        .block(PlainBlock.builder().width(128).layers(2).activation(Activation.RELU).dropout(0.1).batchNorm(true).build())
        .block(ResidualBlock.of(64, 2, Activation.TANH).withPreActivation(true))
        .block(new InceptionBlock(List.of(InceptionBlock.Branch.of(16, 1, Activation.RELU),
            InceptionBlock.Branch.of(8, 2, Activation.GELU)), 32, 0.2))
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAMW).learningRate(3e-3).weightDecay(1e-4)
            .schedule(ScheduleSpec.cosine(1e-5).withWarmupEpochs(2)).init(WeightInit.meanField(1.5)).biasSigma(0.05)
            .batchSize(64).epochs(7).patience(3).minDelta(1e-4).build())
        .seed(99)
        .build();
  }

  @Test
  void roundTripsThroughJson(@TempDir Path dir) throws Exception {
    NetworkSpec spec = sample();
    String json = NetworkSpecs.toJson(spec);
    assertTrue(json.contains("\"type\" : \"residual\""), json);
    assertTrue(json.contains("\"type\" : \"gaussian\""), json);
    assertEquals(spec, NetworkSpecs.fromJson(json));
    Path file = dir.resolve("spec.json");
    NetworkSpecs.write(spec, file);
    assertEquals(spec, NetworkSpecs.read(file));
  }

  @Test
  void minimalDocumentTakesDocumentedDefaults() {
    NetworkSpec spec = NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": 8}]}""");
    assertEquals(PlainBlock.of(8, 1, Activation.RELU), spec.blocks().getFirst());
    assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, spec.loss());
    assertEquals(Activation.LINEAR, spec.outputActivation());
    assertEquals(TrainingSpec.defaults(), spec.training());
    assertEquals(0.001, spec.training().learningRate());
    assertEquals(new WeightInit.GlorotUniform(), spec.training().init());
    NetworkSpec sgd = NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 1, "loss": "mse", "training": {"optimizer": "adadelta"}}""");
    assertEquals(1.0, sgd.training().learningRate());
    assertEquals(0.95, sgd.training().rho());
    assertEquals(1e-6, sgd.training().eps());
  }

  @Test
  void unknownFieldNamesFileLineColumnPointerAndSuggestion(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spec.json");
    Files.writeString(file, """
        {"inputs": 2, "outputs": 2, "blocks": [
          {"type": "plain",
            "widht": 8}
        ]}""");
    SpecException e = assertThrows(SpecException.class, () -> NetworkSpecs.read(file));
    assertEquals("/blocks/0/widht", e.pointer());
    assertTrue(e.getMessage().startsWith("spec.json:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("/blocks/0/widht: unknown field 'widht' (did you mean 'width'?)"), e.getMessage());
  }

  @Test
  void invalidValueNamesTheFieldPointer() {
    SpecException e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "blocks": [
          {"type": "plain", "width": 8},
          {"type": "residual", "width": 8},
          {"type": "plain", "width": 0}
        ]}"""));
    assertEquals("/blocks/2/width", e.pointer());
    assertTrue(e.getMessage().contains("/blocks/2/width: must be >= 1, got 0;"), e.getMessage());
    assertTrue(e.getMessage().startsWith("<json>:"), e.getMessage());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "training": {"learningRate": -1}}"""));
    assertEquals("/training/learningRate", e.pointer());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "training": {"schedule": {"type": "step", "gamma": 0.5}}}"""));
    assertEquals("/training/schedule/stepEpochs", e.pointer());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "inception", "branches": [{"width": 4}, {"width": -3}]}]}"""));
    assertEquals("/blocks/0/branches/1/width", e.pointer());
  }

  @Test
  void missingRequiredNamesSayWhatToAdd() {
    SpecException e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "training": {"schedule": {"gamma": 0.5}}}"""));
    assertEquals("/training/schedule/type", e.pointer());
    assertTrue(e.getMessage().contains("is missing; use one of constant, step, exponential, cosine"), e.getMessage());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "training": {"optimizer": null}}"""));
    assertEquals("/training/optimizer", e.pointer(), e.getMessage());
    assertTrue(e.getMessage().contains("is missing; use one of sgd,"), e.getMessage());
  }

  @Test
  void unknownNamesGetSuggestions() {
    SpecException e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": 8, "activation": "rleu"}]}"""));
    assertEquals("/blocks/0/activation", e.pointer());
    assertTrue(e.getMessage().contains("unknown activation 'rleu' (did you mean 'relu'?)"), e.getMessage());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plian", "width": 8}]}"""));
    assertEquals("/blocks/0/type", e.pointer());
    assertTrue(e.getMessage().contains("unknown block type 'plian' (did you mean 'plain'?)"), e.getMessage());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "blocks": [{"width": 8}]}"""));
    assertEquals("/blocks/0/type", e.pointer());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "training": {"optimizer": "adamm"}}"""));
    assertEquals("/training/optimizer", e.pointer(), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'adam'"), e.getMessage());

    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "training": {"init": {"type": "he_normall"}}}"""));
    assertEquals("/training/init/type", e.pointer());
    assertTrue(e.getMessage().contains("did you mean 'he_normal'"), e.getMessage());
  }

  @Test
  void syntaxAndTypeErrorsAreSpecExceptionsWithLocation() {
    SpecException e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("{\"inputs\": 2,\n \"outputs\": }"));
    assertTrue(e.getMessage().startsWith("<json>:2:"), e.getMessage());
    e = assertThrows(SpecException.class, () -> NetworkSpecs.fromJson("{\"inputs\": \"two\", \"outputs\": 2}"));
    assertEquals("/inputs", e.pointer());
  }

  @Test
  void crossFieldRulesNameTheField() {
    SpecException e = assertThrows(SpecException.class, () -> NetworkSpec.builder().inputs(2).outputs(3)
        .loss(Loss.SOFTMAX_CROSS_ENTROPY).outputActivation(Activation.SIGMOID).build());
    assertEquals("/outputActivation", e.pointer());
    e = assertThrows(SpecException.class, () -> NetworkSpec.builder().inputs(2).outputs(1).build());
    assertEquals("/outputs", e.pointer());
    assertTrue(e.getMessage().contains("binary_cross_entropy"), e.getMessage());
  }

  // ---- wrong-typed scalars are rejected, never coerced ----

  private static SpecException rejects(String json) {
    return assertThrows(SpecException.class, () -> NetworkSpecs.fromJson(json));
  }

  @Test
  void stringForIntegerIsRejectedNotParsed() {
    SpecException e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": "64"}]}""");
    assertEquals("/blocks/0/width", e.pointer());
    assertTrue(e.getMessage().startsWith("<json>:1:"), e.getMessage());
    assertTrue(e.getMessage().contains(
        "/blocks/0/width: expected an integer, got \"64\" (a string); write 64 without quotes"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "training": {"batchSize": "32"}}""");
    assertEquals("/training/batchSize", e.pointer());
    assertTrue(e.problem().startsWith("expected an integer, got \"32\" (a string)"), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "seed": "seven"}""");
    assertEquals("/seed", e.pointer());
    assertTrue(e.problem().contains("write a whole number"), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "training": {"schedule": {"type": "step", "stepEpochs": "10", "gamma": 0.5}}}""");
    assertEquals("/training/schedule/stepEpochs", e.pointer());
    assertTrue(e.problem().contains("write 10 without quotes"), e.getMessage());
  }

  @Test
  void fractionForIntegerIsRejectedNotTruncated() {
    SpecException e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": 64.5}]}""");
    assertEquals("/blocks/0/width", e.pointer());
    assertTrue(e.getMessage().contains(
        "/blocks/0/width: expected an integer, got 64.5 (a number); this field takes whole numbers, e.g. 64 or 65"),
        e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "training": {"epochs": 7.9}}""");
    assertEquals("/training/epochs", e.pointer());
    assertTrue(e.problem().contains("whole numbers, e.g. 7 or 8"), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "inception", "branches": [{"width": 8}, {"width": 8.5}]}]}""");
    assertEquals("/blocks/0/branches/1/width", e.pointer());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "training": {"threads": 1e3}}""");
    assertEquals("/training/threads", e.pointer());
    assertTrue(e.problem().contains("write 1000 with no decimal point or exponent"), e.getMessage());
  }

  @Test
  void listOrObjectForScalarIsRejected() {
    SpecException e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": {"min": 8}}]}""");
    assertEquals("/blocks/0/width", e.pointer());
    assertTrue(e.getMessage().contains(
        "/blocks/0/width: expected an integer, got an object; write a whole number such as 64"), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "training": {"learningRate": [0.1, 0.01]}}""");
    assertEquals("/training/learningRate", e.pointer());
    assertTrue(e.problem().contains("expected a number, got a list; write a number such as 0.001"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void stringForNumberIsRejected() {
    SpecException e = rejects("""
        {"inputs": 2, "outputs": 2, "training": {"learningRate": "0.001"}}""");
    assertEquals("/training/learningRate", e.pointer());
    assertTrue(e.getMessage().contains(
        "/training/learningRate: expected a number, got \"0.001\" (a string); write 0.001 without quotes"), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": 4, "dropout": "none"}]}""");
    assertEquals("/blocks/0/dropout", e.pointer());
    assertTrue(e.problem().startsWith("expected a number, got \"none\" (a string)"), e.getMessage());
  }

  @Test
  void stringForBooleanIsRejected() {
    SpecException e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": 4, "batchNorm": "true"}]}""");
    assertEquals("/blocks/0/batchNorm", e.pointer());
    assertTrue(e.getMessage().contains(
        "/blocks/0/batchNorm: expected true or false, got \"true\" (a string); write true without quotes"),
        e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "residual", "width": 4, "preActivation": 1}]}""");
    assertEquals("/blocks/0/preActivation", e.pointer());
    assertTrue(e.problem().startsWith("expected true or false, got 1 (a number)"), e.getMessage());
  }

  @Test
  void numberForNameIsRejected() {
    SpecException e = rejects("""
        {"inputs": 2, "outputs": 2, "blocks": [{"type": "plain", "width": 4, "activation": 3}]}""");
    assertEquals("/blocks/0/activation", e.pointer());
    assertTrue(e.getMessage().contains("/blocks/0/activation: expected a string, got 3 (a number); use one of "),
        e.getMessage());
    assertTrue(e.problem().contains("relu"), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 2, "training": {"optimizer": true}}""");
    assertEquals("/training/optimizer", e.pointer());
    assertTrue(e.problem().startsWith("expected a string, got true (a boolean); use one of sgd,"), e.getMessage());
    e = rejects("""
        {"inputs": 2, "outputs": 1, "loss": 1.5}""");
    assertEquals("/loss", e.pointer());
    assertTrue(e.problem().startsWith("expected a string, got 1.5 (a number)"), e.getMessage());
  }

  @Test
  void integersStayFineForFloatingPointFields() {
    NetworkSpec spec = NetworkSpecs.fromJson("""
        {"inputs": 2, "outputs": 2, "training": {"learningRate": 1, "maxSeconds": 60, "clipNorm": 1},
         "blocks": [{"type": "plain", "width": 4, "dropout": 0}]}""");
    assertEquals(1.0, spec.training().learningRate());
    assertEquals(60.0, spec.training().maxSeconds());
    assertEquals(0.0, ((PlainBlock) spec.blocks().getFirst()).dropout());
  }
}
