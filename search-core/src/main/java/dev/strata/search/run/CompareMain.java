package dev.strata.search.run;

import dev.strata.search.strategy.StrategyProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TableObjective;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.trial.Direction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Prints a JSON array of {@link StrategyComparison.Result}s, for {@code
 * bench/strategies-vs-optuna.sh}:
 *
 * <pre>
 * java -cp ... dev.strata.search.run.CompareMain [--functions branin,hartmann6]
 *     [--strategies random,sobol,...] [--budgets 10,25,50,100] [--seeds 10] [--first-seed 0]
 *     [--threads 1] [--table FILE.csv --metric NAME --direction maximize|minimize]
 * </pre>
 *
 * Seeds are {@code first-seed .. first-seed + n − 1}. With {@code --table}, the table (a {@link
 * dev.strata.search.objective.TableObjective} with an inferred space) replaces the functions, and
 * each strategy's entry also gets {@code "solved": {budget: runs whose best is the table's best
 * row}}. Each strategy first runs 20 discarded trials per function (JIT warm-up).
 * Exit status 2 with one line on stderr for bad arguments.
 */
public final class CompareMain {

  private CompareMain() {}

  public static void main(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("functions", "branin,hartmann6");
    opts.put("strategies", String.join(",", Strategies.names()));
    opts.put("budgets", "10,25,50,100");
    opts.put("seeds", "10");
    opts.put("first-seed", "0");
    opts.put("threads", "1");
    opts.put("table", "");
    opts.put("metric", "");
    opts.put("direction", "maximize");
    try {
      for (int i = 0; i < args.length; i++) {
        String key = args[i].startsWith("--") ? args[i].substring(2) : "";
        if (!opts.containsKey(key) || i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown or incomplete option '" + args[i]
              + "'; options: --" + String.join(" V, --", opts.keySet()) + " V");
        }
        opts.put(key, args[++i]);
      }
      List<String> strategies = split(opts.get("strategies"));
      strategies.forEach(Strategies::factory);
      List<Integer> budgets = split(opts.get("budgets")).stream().map(Integer::parseInt).toList();
      long first = Long.parseLong(opts.get("first-seed"));
      List<Long> seeds = LongStream.range(first, first + Long.parseLong(opts.get("seeds"))).boxed().toList();
      int threads = Integer.parseInt(opts.get("threads"));
      List<String> out = new ArrayList<>();
      if (!opts.get("table").isEmpty()) {
        if (opts.get("metric").isEmpty()) {
          throw new IllegalArgumentException("--table needs --metric NAME");
        }
        Direction direction = Direction.valueOf(opts.get("direction").toUpperCase(java.util.Locale.ROOT));
        TableObjective table = Optimization.table(Path.of(opts.get("table")), opts.get("metric"), direction, null);
        StrategyComparison.Result r = StrategyComparison.run(table, strategies, seeds, budgets,
            StrategyProvider.REGISTRY, threads);
        System.out.println("[" + withSolved(r, table) + "]");
        return;
      }
      // Warm-up: one short run per strategy and function, discarded, so that JIT compilation
      // does not land in the first strategy's ask times.
      for (String f : split(opts.get("functions"))) {
        StrategyComparison.run(TestFunctions.byName(f), strategies, List.of(-1L),
            List.of(Math.min(20, budgets.stream().max(Integer::compare).orElse(1))));
      }
      for (String f : split(opts.get("functions"))) {
        Objective objective = TestFunctions.byName(f);
        out.add(StrategyComparison.run(objective, strategies, seeds, budgets,
            StrategyProvider.REGISTRY, threads).toJson());
      }
      System.out.println("[" + String.join(",\n", out) + "]");
    } catch (IllegalArgumentException e) {
      System.err.println("compare: " + e.getMessage());
      System.exit(2);
    }
  }

  /** The result's JSON with, per strategy, how many runs reached the optimum by each budget. */
  private static String withSolved(StrategyComparison.Result r, Objective objective) {
    try {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = (ObjectNode) mapper.readTree(r.toJson());
      double optimum = objective.optimum().orElse(Double.NaN);
      for (StrategyComparison.Entry e : r.entries()) {
        ObjectNode solved = ((ObjectNode) root.get("strategies").get(e.strategy())).putObject("solved");
        for (int b : r.budgets()) {
          solved.put(Integer.toString(b), e.runs().stream()
              .filter(run -> run.trials() >= b && run.bestAfter(b) == optimum).count());
        }
      }
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static List<String> split(String s) {
    return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }
}
