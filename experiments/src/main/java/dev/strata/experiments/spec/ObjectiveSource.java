package dev.strata.experiments.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What produces a trial's metric: training a network on a dataset, a built-in test function, a
 * lookup table, or an external command. Immutable records.
 */
public sealed interface ObjectiveSource {

  /** Train a network (mapped from the configuration) on a dataset. */
  record Training(DataSpec data) implements ObjectiveSource {
    public Training {
      Objects.requireNonNull(data, "data");
    }
  }

  /** A synthetic test function of search-core, e.g. {@code hartmann6}. */
  record Function(String name) implements ObjectiveSource {
    public Function {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A table: each row a configuration (its parameter columns) and its metrics; a trial looks its
   * row up.
   *
   * @param file the CSV file, resolved against the experiment file's directory
   * @param column the metric column
   */
  record Table(Path file, String column) implements ObjectiveSource {
    public Table {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(column, "column");
    }
  }

  /**
   * An external program run once per trial.
   *
   * @param argv the program and its arguments; the configuration file's path is appended
   * @param workdir the working directory (the experiment file's directory by default)
   * @param timeoutSeconds per-trial timeout, 0 for none (then the budget's trialSeconds applies)
   * @param env extra environment variables
   * @param nni the configuration file holds NNI's nested {@code {"_name": …}} objects for the
   *     nested choices of an imported NNI space ({@code "parameters": "nni"}), not the flat names
   */
  record Command(List<String> argv, Path workdir, double timeoutSeconds, Map<String, String> env, boolean nni)
      implements ObjectiveSource {
    public Command {
      argv = List.copyOf(argv);
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("a command needs at least the program");
      }
      Objects.requireNonNull(workdir, "workdir");
      env = Map.copyOf(env);
      if (!(timeoutSeconds >= 0)) {
        throw new IllegalArgumentException("timeoutSeconds must be >= 0, got " + timeoutSeconds);
      }
    }

    /** A command that receives the configuration flat, as Strata names its parameters. */
    public Command(List<String> argv, Path workdir, double timeoutSeconds, Map<String, String> env) {
      this(argv, workdir, timeoutSeconds, env, false);
    }
  }

}
