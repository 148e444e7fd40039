package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.search.objective.Objective;
import dev.strata.search.run.Optimization;
import dev.strata.search.run.OptimizationResult;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata optimize}: runs one strategy on a built-in test function or a table, sequentially,
 * and prints the best-so-far trajectory (or one JSON object with {@code --json}).
 */
@Command(
    name = "optimize",
    mixinStandardHelpOptions = true,
    description = "Runs one strategy against a test function or a table and prints the best so far.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "2:bad input: unknown function, strategy, table column or space"})
public final class OptimizeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin DebugMixin debug;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--function", paramLabel = "NAME",
        description = "branin, hartmann6, rosenbrock[:D], ackley[:D], levy[:D] or mixed.")
    String function;

    @Option(names = "--table", paramLabel = "FILE", description = "A CSV of parameter columns and metric columns.")
    Path table;
  }

  @Option(names = "--metric", paramLabel = "COL", description = "The metric column of --table.")
  String metric;

  @Option(names = "--direction", defaultValue = "maximize", description = "For --table: minimize or maximize (default ${DEFAULT-VALUE}).")
  String direction;

  @Option(names = "--space", paramLabel = "FILE", description = "For --table: a space file; inferred from the table when absent.")
  Path space;

  @Option(names = "--strategy", defaultValue = "bayesian", description = "One of ${COMPLETION-CANDIDATES}.",
      completionCandidates = StrategyNames.class)
  String strategy;

  @Option(names = "--option", paramLabel = "KEY=VALUE",
      description = "A strategy option, repeatable, e.g. --option candidates=48 --option multivariate=false"
          + " (numbers and true/false are typed; other values are strings).")
  Map<String, String> options = new java.util.LinkedHashMap<>();

  @Option(names = "--trials", defaultValue = "100", description = "Evaluations (default ${DEFAULT-VALUE}).")
  int trials;

  @Option(names = "--seed", defaultValue = "1", description = "Strategy seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print exactly one JSON object on stdout, for scripts.")
  boolean json;

  static final class StrategyNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Strategies.names().iterator();
    }
  }

  @Override
  public Integer call() {
    if (trials < 1) {
      throw new BadInputException("--trials " + trials + ": must be at least 1");
    }
    Objective objective = objective();
    Strategy instance;
    try {
      instance = Strategies.create(strategy, objective.space(), objective.direction(), seed, typed(options));
    } catch (IllegalArgumentException e) {
      throw new BadInputException((options.isEmpty() ? "--strategy: " : "--strategy/--option: ") + e.getMessage());
    }
    OptimizationResult result = Optimization.run(instance, objective, trials, seed);
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? result.toJson() : result.toText());
    out.flush();
    return 0;
  }

  /** Option values as the strategies' option parser expects them: numbers, booleans, strings. */
  static Map<String, Object> typed(Map<String, String> raw) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    raw.forEach((k, v) -> {
      Object value = v;
      if (v.equals("true") || v.equals("false")) {
        value = Boolean.valueOf(v);
      } else {
        try {
          java.math.BigDecimal d = new java.math.BigDecimal(v.strip());
          value = d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) < 0
              ? (Object) d.longValue() : (Object) d.doubleValue();
        } catch (NumberFormatException notANumber) {
          value = v;
        }
      }
      out.put(k, value);
    });
    return out;
  }

  private Objective objective() {
    if (source.function != null) {
      try {
        return Optimization.function(source.function);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--function: " + e.getMessage());
      }
    }
    if (metric == null) {
      throw new BadInputException("--table needs --metric COL: the column to optimise");
    }
    if (!Files.isRegularFile(source.table)) {
      throw new BadInputException(source.table + ": no such table file; pass an existing CSV to --table");
    }
    Direction dir;
    try {
      dir = Direction.parse(direction);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--direction: " + e.getMessage());
    }
    try {
      return Optimization.table(source.table, metric, dir, space);
    } catch (dev.strata.search.space.SpaceException e) {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new BadInputException(e.getMessage());
    }
  }
}
