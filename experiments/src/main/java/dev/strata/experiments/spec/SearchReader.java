package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.space.SearchSpace;
import dev.strata.trainer.spec.SpecNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code search} section of an experiment: the competing strategies (each checked
 * against the space and direction), parallelism, seeds and reproducibility, with the budget read
 * by {@link BudgetReader} and the scheduler by {@link SchedulerReader}, and pre-screening. Records every mistake in
 * the given {@link JsonCheck}. Part of {@link ExperimentReader}; stateless.
 */
final class SearchReader {

  static final List<String> KEYS = List.of("strategies", "budget", "parallel", "seeds", "reproducible", "scheduler",
      "prescreen");

  private SearchReader() {}

  /**
   * Reads the section at {@code /search}; null after recording a problem.
   *
   * @param space the experiment's space, or null when it is unusable (strategies are then not
   *     checked against it)
   * @param objective the objective, or null when it is unusable
   */
  static SearchSpec read(JsonCheck c, JsonNode node, SearchSpace space, ObjectiveSpec objective) {
    String ptr = "/search";
    ObjectNode o = c.object(ptr, node, "{\"strategies\": [\"random\"], \"budget\": {\"trials\": 20}}");
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, KEYS);
    List<StrategySpec> strategies = new ArrayList<>();
    if (c.require(ptr, o, "strategies", "[\"evolution\", \"random\", \"bayesian\"]")) {
      JsonNode s = o.get("strategies");
      String sp = ptr + "/strategies";
      if (s.isTextual()) {
        s = JsonNodeFactory.instance.arrayNode().add(s);
      }
      if (!s.isArray() || s.isEmpty()) {
        c.problem(sp, "expected a non-empty list of strategies, got " + JsonCheck.kind(s)
            + "; write for example [\"random\", {\"name\": \"evolution\", \"population\": 20}]");
      } else {
        for (int i = 0; i < s.size(); i++) {
          StrategySpec st = strategy(c, JsonCheck.child(sp, i), s.get(i), space, objective);
          if (st != null) {
            if (strategies.stream().anyMatch(x -> x.name().equals(st.name()))) {
              c.problem(JsonCheck.child(sp, i), "strategy '" + st.name() + "' is listed twice; a strategy competes"
                  + " once per seed: remove the duplicate or add seeds");
            }
            strategies.add(st);
          }
        }
      }
    }
    BudgetSpec budget = null;
    if (c.require(ptr, o, "budget", "{\"trials\": 50, \"minutes\": 30}")) {
      budget = BudgetReader.read(c, o.get("budget"));
    }
    int parallel = 1;
    Long v;
    if (o.has("parallel") && (v = c.integer(ptr + "/parallel", o.get("parallel"), 1, 4096,
        "use the number of trials to train at once, e.g. 2")) != null) {
      parallel = v.intValue();
    }
    List<Long> seeds = new ArrayList<>();
    if (o.has("seeds")) {
      JsonNode s = o.get("seeds");
      if (!s.isArray() || s.isEmpty()) {
        c.problem(ptr + "/seeds", "expected a non-empty list of whole numbers, got " + JsonCheck.kind(s)
            + "; write for example [1, 2, 3]");
      } else {
        for (int i = 0; i < s.size(); i++) {
          Long seed = c.integer(JsonCheck.child(ptr + "/seeds", i), s.get(i), Long.MIN_VALUE, Long.MAX_VALUE,
              "seeds are whole numbers such as 1");
          if (seed != null) {
            if (seeds.contains(seed)) {
              c.problem(JsonCheck.child(ptr + "/seeds", i), "seed " + seed + " is listed twice; use distinct seeds");
            }
            seeds.add(seed);
          }
        }
      }
    } else {
      seeds.add(1L);
    }
    boolean reproducible = true;
    if (o.has("reproducible")) {
      Boolean b = c.bool(ptr + "/reproducible", o.get("reproducible"));
      reproducible = b == null || b;
    }
    SchedulerSpec scheduler = null;
    if (o.has("scheduler")) {
      scheduler = SchedulerReader.read(c, o.get("scheduler"), budget);
    }
    PrescreenSpec prescreen = null;
    if (o.has("prescreen")) {
      prescreen = prescreen(c, ptr + "/prescreen", o.get("prescreen"), objective);
    }
    if (!c.ok() || budget == null || strategies.isEmpty()) {
      return null;
    }
    return new SearchSpec(strategies, budget, parallel, seeds, reproducible, scheduler, prescreen);
  }

  private static StrategySpec strategy(JsonCheck c, String ptr, JsonNode node, SearchSpace space, ObjectiveSpec objective) {
    String name;
    Map<String, Object> options = new LinkedHashMap<>();
    String namePtr = ptr;
    if (node.isTextual()) {
      name = node.asText();
    } else if (node.isObject()) {
      if (!node.has("name")) {
        c.problem(ptr, "missing required key 'name'; write for example {\"name\": \"evolution\", \"population\": 20}");
        return null;
      }
      namePtr = ptr + "/name";
      name = c.string(namePtr, node.get("name"), "use a strategy name such as \"random\"");
      if (name == null) {
        return null;
      }
      node.properties().forEach(p -> {
        if (!p.getKey().equals("name")) {
          options.put(p.getKey(), JsonCheck.plain(p.getValue()));
        }
      });
    } else {
      c.problem(ptr, "expected a strategy name or an object, got " + JsonCheck.kind(node)
          + "; write \"random\" or {\"name\": \"evolution\", \"population\": 20}");
      return null;
    }
    List<String> known = SpaceSupport.strategyNames();
    if (!known.contains(name)) {
      String near = SpecNames.suggest(name, known);
      c.problem(namePtr, "unknown strategy '" + name + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
          + "; use one of " + String.join(", ", known));
      return null;
    }
    if (space != null && objective != null) {
      String problem = SpaceSupport.checkStrategy(name, options, space, objective.objectives());
      if (problem != null) {
        String at = ptr;
        for (String key : options.keySet()) {
          if (problem.contains("'" + key + "'")) {
            at = JsonCheck.child(ptr, key);
            break;
          }
        }
        c.problem(at, JsonCheck.oneLine(problem));
        return null;
      }
    }
    return new StrategySpec(name, options);
  }

  /** {@code {"proxy": "naswot", "sample": 10}}; only for a search that trains networks on a dataset. */
  private static PrescreenSpec prescreen(JsonCheck c, String ptr, JsonNode node, ObjectiveSpec objective) {
    ObjectNode o = c.object(ptr, node, "{\"proxy\": \"naswot\", \"sample\": 10}");
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, List.of("proxy", "sample", "verdict", "scores", "shortlist"));
    String proxy = null;
    if (c.require(ptr, o, "proxy", "\"naswot\"")) {
      proxy = c.string(ptr + "/proxy", o.get("proxy"), "use one of " + String.join(", ", PrescreenSpec.PROXIES));
      if (proxy != null && !PrescreenSpec.PROXIES.contains(proxy)) {
        String near = SpecNames.suggest(proxy, PrescreenSpec.PROXIES);
        c.problem(ptr + "/proxy", "unknown proxy '" + proxy + "'" + (near == null ? "" : " (did you mean '" + near
            + "'?)") + "; use one of " + String.join(", ", PrescreenSpec.PROXIES));
        proxy = null;
      }
    }
    int sample = PrescreenSpec.DEFAULT_SAMPLE;
    Long v;
    if (o.has("sample") && (v = c.integer(ptr + "/sample", o.get("sample"), 1, 1000,
        "use the number of candidates scored per trained trial, e.g. 10")) != null) {
      sample = v.intValue();
    }
    boolean verdict = true;
    if (o.has("verdict")) {
      Boolean b = c.bool(ptr + "/verdict", o.get("verdict"));
      verdict = b == null || b;
    }
    boolean allScores = false;
    if (o.has("scores")) {
      String scores = c.string(ptr + "/scores", o.get("scores"), "use \"proxy\" or \"all\"");
      if (scores != null && !scores.equals("proxy") && !scores.equals("all")) {
        c.problem(ptr + "/scores", "unknown scores '" + scores + "'; use \"proxy\" (only the ranking proxy, the"
            + " default) or \"all\" (all four proxies stored on every trial)");
      }
      allScores = "all".equals(scores);
    }
    int shortlist = 1;
    if (o.has("shortlist") && (v = c.integer(ptr + "/shortlist", o.get("shortlist"), 1, 1000,
        "use how many of the best-scored candidates compete on cost, e.g. 3")) != null) {
      if (v > sample) {
        c.problem(ptr + "/shortlist", "must be at most the sample (" + sample + "), got " + v
            + "; the shortlist is taken from the sample's candidates");
      } else {
        shortlist = v.intValue();
      }
    }
    if (objective != null && !(objective.source() instanceof ObjectiveSource.Training)) {
      c.problem(ptr, "pre-screening scores networks at initialisation, so it needs an objective that trains"
          + " networks on a dataset; remove \"prescreen\" for a function, table or command objective");
      return null;
    }
    return proxy == null ? null : new PrescreenSpec(proxy, sample, verdict, allScores, shortlist);
  }
}
