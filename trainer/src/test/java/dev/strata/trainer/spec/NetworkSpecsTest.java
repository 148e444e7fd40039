package dev.strata.trainer.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
