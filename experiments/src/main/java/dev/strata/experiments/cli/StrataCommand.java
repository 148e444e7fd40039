package dev.strata.experiments.cli;

import dev.strata.experiments.run.StrataVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} command: the root of every subcommand. */
@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    versionProvider = StrataCommand.Version.class,
    description = "Neural-architecture search and hyperparameter optimization in pure Java.",
    subcommands = {CommandLine.HelpCommand.class, dev.strata.experiments.cluster.WorkerCommand.class,
        ValidateCommand.class, RunCommand.class, ResumeCommand.class, StatusCommand.class, CompareCommand.class,
        ReportCommand.class, ExportCommand.class, PredictCommand.class, EvaluateCommand.class, DemoCommand.class,
        TrainCommand.class, InspectCommand.class,
        DatasetsCommand.class, OptimizeCommand.class, DashboardCommand.class, ImportanceCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the job ran but failed (for example a diverged training)",
      "2:bad input: the message says what, where and how to fix it",
      "130:interrupted (Ctrl-C)"
    })
public final class StrataCommand implements Runnable {

  /** Exit code for bad input (usage, spec, data). */
  public static final int EXIT_BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--debug",
      description = "Print stack traces of errors (see ErrorHandler).")
  boolean debug;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; never calls {@code System.exit}. */
  public static int execute(String... args) {
    return ErrorHandler.install(new CommandLine(new StrataCommand())).execute(args);
  }

  /** The Strata version, from the build. */
  public static String version() {
    return StrataVersion.get();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"strata " + version(), "JVM: " + Runtime.version()};
    }
  }
}
