package dev.strata.experiments.objective;

import dev.strata.experiments.run.TrialContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A TrialContext for evaluator tests: records epochs, stops after {@code stopAfter} reports. */
final class FakeContext implements TrialContext {

  record Epoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {}

  final List<Epoch> epochs = new ArrayList<>();
  final long seed;
  final int resource;
  final double maxSeconds;
  final Path checkpoint;
  final Path resumeFrom;
  int stopAfter = Integer.MAX_VALUE;
  final List<String> notes = new ArrayList<>();

  FakeContext(long seed, int resource, double maxSeconds, Path checkpoint, Path resumeFrom) {
    this.seed = seed;
    this.resource = resource;
    this.maxSeconds = maxSeconds;
    this.checkpoint = checkpoint;
    this.resumeFrom = resumeFrom;
  }

  static FakeContext of(Path dir) {
    return new FakeContext(7, 0, 0, dir.resolve("checkpoint.bin"), null);
  }

  @Override
  public long seed() {
    return seed;
  }

  @Override
  public long trialId() {
    return 42;
  }

  @Override
  public int resource() {
    return resource;
  }

  @Override
  public double maxSeconds() {
    return maxSeconds;
  }

  @Override
  public Optional<Path> resumeFrom() {
    return Optional.ofNullable(resumeFrom);
  }

  @Override
  public Path checkpointPath() {
    return checkpoint;
  }

  @Override
  public synchronized boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
    epochs.add(new Epoch(epoch, trainLoss, valLoss, valMetric, seconds));
    return epochs.size() < stopAfter;
  }

  @Override
  public boolean shouldStop() {
    return false;
  }

  @Override
  public synchronized void note(String message) {
    notes.add(message);
  }
}
