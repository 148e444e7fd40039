package dev.strata.search.run;

import dev.strata.common.Quantiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.objective.Objective;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.strategy.StrategyProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs several strategies × seeds on one objective ({@link Optimization}, max(budgets) trials each)
 * and summarises the best value so far at given budgets: median and interquartile range over the
 * seeds, and the same for regret when the optimum is known.
 *
 * <p>Quantiles interpolate linearly between order statistics (Hyndman–Fan type 7, numpy's
 * default): {@code q(p) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])} with {@code h = (n − 1)p} over the
 * sorted values; runs without any success yet are left out.
 *
 * <p>Deterministic: every value depends only on the strategy, the seed and the objective, also with
 * {@code threads > 1} (runs are independent; results are gathered in strategy × seed order). Only
 * ask times vary. Immutable results; the class is stateless.
 */
public final class StrategyComparison {

  /** Median and quartiles at one budget. */
  public record Cell(int budget, double median, double q1, double q3, int runs) {
    public double iqr() {
      return q3 - q1;
    }
  }

  /** One strategy's summary. */
  public record Entry(String strategy, List<Cell> best, List<Cell> regret, double meanAskMillis,
      List<OptimizationResult> runs) {
    public Entry {
      best = List.copyOf(best);
      regret = List.copyOf(regret);
      runs = List.copyOf(runs);
    }

    /** The regret cell at a budget (best value when the optimum is unknown). */
    public Cell at(int budget) {
      for (Cell c : regret.isEmpty() ? best : regret) {
        if (c.budget() == budget) {
          return c;
        }
      }
      throw new IllegalArgumentException("no budget " + budget);
    }
  }

  /** The whole comparison. */
  public record Result(String objective, List<Integer> budgets, List<Long> seeds, List<Entry> entries) {
    public Result {
      budgets = List.copyOf(budgets);
      seeds = List.copyOf(seeds);
      entries = List.copyOf(entries);
    }

    public Entry entry(String strategy) {
      return entries.stream().filter(e -> e.strategy().equals(strategy)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no strategy " + strategy));
    }

    /**
     * JSON: {@code {"objective", "budgets", "seeds", "strategies": {name: {"ask_ms", "best":
     * {budget: {median, q1, q3}}, "regret": {...}}}}}.
     */
    public String toJson() {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = json.createObjectNode();
      root.put("objective", objective);
      budgets.forEach(root.putArray("budgets")::add);
      seeds.forEach(root.putArray("seeds")::add);
      ObjectNode strategies = root.putObject("strategies");
      for (Entry e : entries) {
        ObjectNode s = strategies.putObject(e.strategy());
        s.put("ask_ms", e.meanAskMillis());
        cells(s.putObject("best"), e.best());
        if (!e.regret().isEmpty()) {
          cells(s.putObject("regret"), e.regret());
        }
      }
      try {
        return json.writeValueAsString(root);
      } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }

    private static void cells(ObjectNode node, List<Cell> cells) {
      for (Cell c : cells) {
        ObjectNode n = node.putObject(Integer.toString(c.budget()));
        put(n, "median", c.median());
        put(n, "q1", c.q1());
        put(n, "q3", c.q3());
        n.put("runs", c.runs());
      }
    }

    private static void put(ObjectNode n, String key, double v) {
      if (Double.isFinite(v)) {
        n.put(key, v);
      } else {
        n.putNull(key);
      }
    }
  }

  private StrategyComparison() {}

  /** Compares registered strategies on one thread. */
  public static Result run(Objective objective, List<String> strategies, List<Long> seeds,
      List<Integer> budgets) {
    return run(objective, strategies, seeds, budgets, StrategyProvider.REGISTRY, 1);
  }

  public static Result run(Objective objective, List<String> strategies, List<Long> seeds,
      List<Integer> budgets, StrategyProvider provider, int threads) {
    Objects.requireNonNull(objective, "objective");
    if (strategies.isEmpty() || seeds.isEmpty() || budgets.isEmpty()) {
      throw new IllegalArgumentException("need at least one strategy, seed and budget");
    }
    List<Integer> sortedBudgets = budgets.stream().sorted().distinct().toList();
    if (sortedBudgets.getFirst() < 1) {
      throw new IllegalArgumentException("budgets must be >= 1, got " + budgets);
    }
    int trials = sortedBudgets.getLast();
    List<List<OptimizationResult>> results = new ArrayList<>();
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    try {
      List<List<Future<OptimizationResult>>> futures = new ArrayList<>();
      for (String name : strategies) {
        List<Future<OptimizationResult>> row = new ArrayList<>();
        List<OptimizationResult> done = new ArrayList<>();
        for (long seed : seeds) {
          if (pool == null) {
            done.add(Optimization.run(provider.create(name, objective.space(), objective.direction(), seed, Map.of()), objective, trials, seed));
          } else {
            row.add(pool.submit(() ->
                Optimization.run(provider.create(name, objective.space(), objective.direction(), seed, Map.of()), objective, trials, seed)));
          }
        }
        futures.add(row);
        results.add(done);
      }
      if (pool != null) {
        for (int i = 0; i < strategies.size(); i++) {
          for (Future<OptimizationResult> f : futures.get(i)) {
            results.get(i).add(f.get());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("comparison interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < strategies.size(); i++) {
      List<OptimizationResult> runs = results.get(i);
      List<Cell> best = new ArrayList<>();
      List<Cell> regret = new ArrayList<>();
      for (int b : sortedBudgets) {
        best.add(cell(b, runs.stream().mapToDouble(r -> r.trials() >= b ? r.bestAfter(b) : Double.NaN)
            .toArray()));
        if (objective.optimum().isPresent()) {
          regret.add(cell(b, runs.stream()
              .mapToDouble(r -> r.trials() >= b ? r.regret().get(b - 1) : Double.NaN).toArray()));
        }
      }
      double ask = runs.stream().mapToDouble(OptimizationResult::meanAskMillis).average().orElse(0);
      entries.add(new Entry(strategies.get(i), best, regret, ask, runs));
    }
    return new Result(objective.name(), sortedBudgets, seeds, entries);
  }

  private static Cell cell(int budget, double[] values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    return new Cell(budget, Quantiles.type7(v, 0.5), Quantiles.type7(v, 0.25), Quantiles.type7(v, 0.75), v.length);
  }

}
