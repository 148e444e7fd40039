package dev.strata.experiments.run;

import dev.strata.search.trial.Configuration;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One job the runner hands to a {@link TrialExecutor}: the configuration to evaluate and what the
 * evaluator's {@link TrialContext} reports. Immutable.
 *
 * @param label how the run log names the trial, e.g. {@code "random/s1 #4"}
 * @param resource epochs (or another resource) to run to; 0 for the experiment's own maximum
 * @param resumeFrom a checkpoint to continue from, when the job is a promotion and the file exists
 * @param checkpointPath where the evaluator may save this job's checkpoint
 */
public record TrialTask(long trialId, String label, long seed, int resource, double maxSeconds,
    Configuration configuration, Optional<Path> resumeFrom, Path checkpointPath) {

  public TrialTask {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(resumeFrom, "resumeFrom");
    Objects.requireNonNull(checkpointPath, "checkpointPath");
  }
}
