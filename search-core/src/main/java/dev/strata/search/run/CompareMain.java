package dev.strata.search.run;

import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.strategy.Strategies;
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
 *     [--strategies random,sobol,...] [--budgets 10,25,50,100] [--seeds 10] [--threads 1]
 * </pre>
 *
 * Seeds are 0 .. n−1. Each strategy first runs 20 discarded trials per function (JIT warm-up).
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
    opts.put("threads", "1");
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
      List<Long> seeds = LongStream.range(0, Long.parseLong(opts.get("seeds"))).boxed().toList();
      int threads = Integer.parseInt(opts.get("threads"));
      List<String> out = new ArrayList<>();
      // Warm-up: one short run per strategy and function, discarded, so that JIT compilation
      // does not land in the first strategy's ask times.
      for (String f : split(opts.get("functions"))) {
        StrategyComparison.run(TestFunctions.byName(f), strategies, List.of(-1L),
            List.of(Math.min(20, budgets.stream().max(Integer::compare).orElse(1))));
      }
      for (String f : split(opts.get("functions"))) {
        Objective objective = TestFunctions.byName(f);
        out.add(StrategyComparison.run(objective, strategies, seeds, budgets,
            StrategyComparison.StrategyMaker.REGISTRY, threads).toJson());
      }
      System.out.println("[" + String.join(",\n", out) + "]");
    } catch (IllegalArgumentException e) {
      System.err.println("compare: " + e.getMessage());
      System.exit(2);
    }
  }

  private static List<String> split(String s) {
    return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }
}
