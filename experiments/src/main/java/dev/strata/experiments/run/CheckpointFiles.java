package dev.strata.experiments.run;

import dev.strata.search.fidelity.Fidelity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's {@code checkpoints/} directory: {@code trial-ID-rR.ckpt}, a trial's training state at
 * resource R. A promotion continues from the file of the rung it paused at; files a trial can no
 * longer use are deleted as it moves on. Stateless apart from the directory; the runner's thread
 * calls it.
 */
final class CheckpointFiles {

  private final Path dir;

  private CheckpointFiles(Path dir) {
    this.dir = dir;
  }

  /** The directory inside {@code runDir}, created if needed. */
  static CheckpointFiles in(Path runDir) {
    Path dir = runDir.resolve("checkpoints");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return new CheckpointFiles(dir);
  }

  /** Where trial {@code trialId} keeps its state at {@code resource}. */
  Path of(long trialId, double resource) {
    return dir.resolve("trial-" + trialId + "-r" + Fidelity.whole(resource) + ".ckpt");
  }

  /**
   * Deletes a trial's checkpoints except the one of resource {@code keep} (NaN: all of them), so an
   * overnight run keeps only what a promotion or {@code strata export} can still use: the latest
   * rung of a paused trial and the final model of a completed one. Best effort: a file that cannot
   * be deleted only costs disk space, and the failure is returned for the log (null when none).
   */
  String drop(long trialId, double keep) {
    String kept = Double.isNaN(keep) ? null : of(trialId, keep).getFileName().toString();
    try (var files = Files.newDirectoryStream(dir, "trial-" + trialId + "-r*")) {
      for (Path f : files) {
        if (!f.getFileName().toString().equals(kept)) {
          Files.deleteIfExists(f);
        }
      }
      return null;
    } catch (IOException | UncheckedIOException e) {
      return "could not delete the checkpoints of trial " + trialId + ": " + e.getMessage();
    }
  }
}
