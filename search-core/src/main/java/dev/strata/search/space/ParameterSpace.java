package dev.strata.search.space;

import dev.strata.common.DidYouMean;
import dev.strata.search.trial.Configuration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The {@link SearchSpace} of a tree of {@link SpaceNode}s: parameters, conditions and repeat
 * groups, as read by {@link SpaceReader} or {@link NniSpaceReader} or built in code:
 *
 * <pre>{@code
 * ParameterSpace space = ParameterSpace.of(
 *     FloatParameter.of("x1", -5, 10), FloatParameter.of("x2", 0, 15));
 * }</pre>
 *
 * <p><b>Dimensions.</b> In declaration order; a repeat group contributes {@code NAME/#count} (an
 * INT dimension {@code min..max}, absent when {@code min == max}) followed by the dimensions of
 * element 0, element 1, … up to {@code max}, e.g. {@code blocks/#count}, {@code blocks/0/type},
 * {@code blocks/0/branches/#count}, …, {@code blocks/5/dropout}. Constants are not dimensions but
 * appear in every configuration where their condition holds.
 *
 * <p><b>Activity.</b> An entry is active when its enclosing element exists (index below the
 * group's count), its enclosing group is active and its {@link Condition} holds. Configurations
 * hold exactly the active entries; {@link #encode} writes NaN for every inactive dimension.
 *
 * <p><b>Sampling.</b> {@link #sample} draws every unit coordinate uniformly and decodes: choices,
 * linear integers and repeat counts are uniform over their values, log scales are uniform in the
 * logarithm.
 *
 * <p><b>Defaults.</b> A parameter's {@code default}; otherwise the first choice of a choice, the
 * unit midpoint of a numeric range (the geometric mean on a log scale, snapped to the grid) and
 * the middle of a repeat count range.
 *
 * <p>Immutable and thread-safe.
 */
public final class ParameterSpace implements SearchSpace {

  /**
   * A problem of a space's cross references, found by {@link #check(List)}.
   *
   * @param node the offending entry
   * @param whenKey the name in its condition the problem is about, or null
   * @param message what is wrong and how to fix it
   */
  public record Issue(SpaceNode node, String whenKey, String message) {
    @Override
    public String toString() {
      return node.name() + (whenKey == null ? "" : " when " + whenKey) + ": " + message;
    }
  }

  private record Ref(int up, String name, List<Object> values) {}

  private sealed interface Entry permits ParamEntry, GroupEntry {
    SpaceNode node();

    List<Ref> when();
  }

  private record ParamEntry(Parameter node, int dim, List<Ref> when) implements Entry {}

  private record GroupEntry(RepeatGroup node, int countDim, List<Layout> elements, List<Ref> when)
      implements Entry {}

  /** The entries of one group element, in evaluation (topological) order. */
  private record Layout(List<Entry> order, Set<String> names) {}

  private final List<SpaceNode> nodes;
  private final List<Dimension> dimensions;
  private final double[] defaultUnits;
  private final Layout root;

  private ParameterSpace(List<SpaceNode> nodes) {
    this.nodes = nodes;
    List<Dimension> dims = new ArrayList<>();
    List<Double> defaults = new ArrayList<>();
    Map<SpaceNode, Set<SpaceNode>> deps = new IdentityHashMap<>();
    analyse(nodes, new ArrayList<>(List.of(nodes)), deps, new ArrayList<>());
    this.root = layout(nodes, "", new ArrayList<>(List.of(nodes)), deps, dims, defaults);
    this.dimensions = List.copyOf(dims);
    this.defaultUnits = defaults.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * A space of these top-level entries.
   *
   * @throws IllegalArgumentException for the first problem {@link #check(List)} finds
   */
  public static ParameterSpace of(List<? extends SpaceNode> nodes) {
    List<SpaceNode> copy = List.copyOf(nodes);
    List<Issue> issues = check(copy);
    if (!issues.isEmpty()) {
      throw new IllegalArgumentException(issues.getFirst().toString());
    }
    return new ParameterSpace(copy);
  }

  public static ParameterSpace of(SpaceNode... nodes) {
    return of(List.of(nodes));
  }

  /**
   * The problems of a tree of entries that no single record can see: duplicate top-level names,
   * conditions naming unknown parameters (with a did-you-mean), testing a repeat group or a float,
   * testing impossible values, and cyclic conditions. Empty when the entries make a valid space.
   */
  public static List<Issue> check(List<? extends SpaceNode> nodes) {
    List<Issue> issues = new ArrayList<>();
    List<SpaceNode> top = List.copyOf(nodes);
    Set<String> seen = new LinkedHashSet<>();
    for (SpaceNode node : top) {
      if (!seen.add(node.name())) {
        issues.add(new Issue(node, null, "duplicate parameter '" + node.name() + "'; rename or remove one"));
      }
    }
    Map<SpaceNode, Set<SpaceNode>> deps = new IdentityHashMap<>();
    analyse(top, new ArrayList<>(List.of(top)), deps, issues);
    findCycles(top, deps, issues);
    return issues;
  }

  /** The top-level entries. */
  public List<SpaceNode> nodes() {
    return nodes;
  }

  @Override
  public List<Dimension> dimensions() {
    return dimensions;
  }

  @Override
  public Configuration decode(double[] unit) {
    if (unit.length != dimensions.size()) {
      throw new IllegalArgumentException("expected " + dimensions.size() + " unit values, got " + unit.length);
    }
    return new Configuration(decodeGroup(root, unit, new ArrayList<>()));
  }

  private Map<String, Object> decodeGroup(Layout layout, double[] unit, List<Map<String, Object>> scope) {
    Map<String, Object> values = new LinkedHashMap<>();
    scope.add(values);
    for (Entry entry : layout.order()) {
      if (!holds(entry.when(), scope)) {
        continue;
      }
      switch (entry) {
        case ParamEntry p -> values.put(p.node().name(),
            p.dim() < 0 ? ((ConstantParameter) p.node()).value() : dimensions.get(p.dim()).valueAt(unit[p.dim()]));
        case GroupEntry g -> {
          int count = g.countDim() < 0 ? g.node().min()
              : (int) (long) (Long) dimensions.get(g.countDim()).valueAt(unit[g.countDim()]);
          List<Object> elements = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            elements.add(decodeGroup(g.elements().get(i), unit, scope));
          }
          values.put(g.node().name(), elements);
        }
      }
    }
    scope.removeLast();
    return values;
  }

  @Override
  public double[] encode(Configuration configuration) {
    validate(configuration);
    double[] unit = new double[dimensions.size()];
    java.util.Arrays.fill(unit, Double.NaN);
    encodeGroup(root, configuration.values(), unit, new ArrayList<>());
    return unit;
  }

  @SuppressWarnings("unchecked")
  private void encodeGroup(Layout layout, Map<String, Object> given, double[] unit, List<Map<String, Object>> scope) {
    scope.add(given);
    for (Entry entry : layout.order()) {
      if (!given.containsKey(entry.node().name())) {
        continue;
      }
      Object value = given.get(entry.node().name());
      switch (entry) {
        case ParamEntry p -> {
          if (p.dim() >= 0) {
            unit[p.dim()] = dimensions.get(p.dim()).unitOf(value);
          }
        }
        case GroupEntry g -> {
          List<Object> elements = (List<Object>) value;
          if (g.countDim() >= 0) {
            unit[g.countDim()] = dimensions.get(g.countDim()).unitOf((long) elements.size());
          }
          for (int i = 0; i < elements.size(); i++) {
            encodeGroup(g.elements().get(i), (Map<String, Object>) elements.get(i), unit, scope);
          }
        }
      }
    }
    scope.removeLast();
  }

  @Override
  public Configuration sample(RandomGenerator random) {
    double[] unit = new double[dimensions.size()];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = random.nextDouble();
    }
    return decode(unit);
  }

  @Override
  public Configuration defaults() {
    return decode(defaultUnits.clone());
  }

  @Override
  public void validate(Configuration configuration) {
    validateGroup(root, configuration.values(), "", new ArrayList<>());
  }

  @SuppressWarnings("unchecked")
  private void validateGroup(Layout layout, Map<String, Object> given, String prefix, List<Map<String, Object>> scope) {
    scope.add(given);
    for (Entry entry : layout.order()) {
      String name = entry.node().name();
      String path = prefix + name;
      boolean active = holds(entry.when(), scope);
      boolean present = given.containsKey(name);
      if (active && !present) {
        throw new IllegalArgumentException(path + ": missing; it is active here"
            + (entry.node().when().isAlways() ? "" : " (" + entry.node().when() + ")"));
      }
      if (!active && present) {
        throw new IllegalArgumentException(path + ": present but inactive (needs " + entry.node().when()
            + "); remove it");
      }
      if (!active) {
        continue;
      }
      Object value = given.get(name);
      switch (entry) {
        case ParamEntry p -> {
          String problem = p.node().problem(value);
          if (problem != null) {
            throw new IllegalArgumentException(path + ": " + problem);
          }
        }
        case GroupEntry g -> {
          if (!(value instanceof List<?> elements)) {
            throw new IllegalArgumentException(path + ": a repeat group needs a list of objects, got "
                + Values.show(value));
          }
          if (elements.size() < g.node().min() || elements.size() > g.node().max()) {
            throw new IllegalArgumentException(path + ": " + elements.size() + " elements, outside ["
                + g.node().min() + ", " + g.node().max() + "]");
          }
          for (int i = 0; i < elements.size(); i++) {
            if (!(elements.get(i) instanceof Map<?, ?> element)) {
              throw new IllegalArgumentException(path + "/" + i + ": an element needs to be an object, got "
                  + Values.show(elements.get(i)));
            }
            validateGroup(g.elements().get(i), (Map<String, Object>) element, path + "/" + i + "/", scope);
          }
        }
      }
    }
    for (String key : given.keySet()) {
      if (!layout.names().contains(key)) {
        throw new IllegalArgumentException(prefix + key + ": unknown parameter" + DidYouMean.suggest(key, layout.names()));
      }
    }
    scope.removeLast();
  }

  private static boolean holds(List<Ref> when, List<Map<String, Object>> scope) {
    for (Ref ref : when) {
      Map<String, Object> values = scope.get(scope.size() - 1 - ref.up());
      if (!values.containsKey(ref.name()) || Values.indexOf(ref.values(), values.get(ref.name())) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "ParameterSpace" + dimensions.stream().map(Dimension::path).toList();
  }

  // ---- static analysis -------------------------------------------------------------------------

  /** A condition reference resolved to its target and the depth of the group holding it. */
  private record Resolved(int level, SpaceNode target, String name, List<Object> values) {}

  /**
   * Resolves the conditions of a group and its descendants, records same-level dependencies in
   * {@code deps} (lifting a descendant's reference to the entry that contains it) and returns the
   * references that escape to outer levels.
   */
  private static List<Resolved> analyse(List<SpaceNode> group, List<List<SpaceNode>> chain,
      Map<SpaceNode, Set<SpaceNode>> deps, List<Issue> issues) {
    int depth = chain.size() - 1;
    List<Resolved> escaping = new ArrayList<>();
    for (SpaceNode node : group) {
      List<Resolved> refs = new ArrayList<>(resolve(node, chain, issues));
      if (node instanceof RepeatGroup g) {
        chain.add(g.of());
        refs.addAll(analyse(g.of(), chain, deps, issues));
        chain.removeLast();
      }
      for (Resolved ref : refs) {
        if (ref.level() == depth) {
          deps.computeIfAbsent(node, k -> new LinkedHashSet<>()).add(ref.target());
        } else {
          escaping.add(ref);
        }
      }
    }
    return escaping;
  }

  private static List<Resolved> resolve(SpaceNode node, List<List<SpaceNode>> chain, List<Issue> issues) {
    List<Resolved> out = new ArrayList<>();
    for (Map.Entry<String, List<Object>> e : node.when().anyOf().entrySet()) {
      String key = e.getKey();
      SpaceNode target = null;
      int level = chain.size() - 1;
      for (; level >= 0 && target == null; level--) {
        for (SpaceNode candidate : chain.get(level)) {
          if (candidate.name().equals(key)) {
            target = candidate;
            break;
          }
        }
        if (target != null) {
          break;
        }
      }
      if (target == null) {
        Set<String> visible = new LinkedHashSet<>();
        chain.forEach(g -> g.forEach(n -> visible.add(n.name())));
        issues.add(new Issue(node, key, "condition on unknown parameter '" + key + "'"
            + DidYouMean.suggest(key, visible)
            + " (a condition may name a sibling or a parameter of an enclosing group)"));
        continue;
      }
      switch (target) {
        case RepeatGroup g -> issues.add(new Issue(node, key, "'" + key
            + "' is a repeat group; a condition can only test a choice, int or constant parameter"));
        case FloatParameter f -> issues.add(new Issue(node, key, "'" + key
            + "' is a float; a condition can only test a choice, int or constant parameter"));
        case Parameter p -> {
          for (Object v : e.getValue()) {
            String problem = p.problem(v);
            if (problem != null && !(p instanceof ChoiceParameter c && Values.indexOf(c.choices(), v) >= 0)) {
              String hint = v instanceof String s && p instanceof ChoiceParameter c
                  ? DidYouMean.suggest(s, c.choices().stream().filter(String.class::isInstance)
                      .map(String.class::cast).toList())
                  : "";
              issues.add(new Issue(node, key, "'" + key + "' can never be " + Values.show(v) + hint
                  + " (" + problem + ")"));
            }
          }
          out.add(new Resolved(level, target, key, e.getValue()));
        }
      }
    }
    return out;
  }

  private static void findCycles(List<SpaceNode> group, Map<SpaceNode, Set<SpaceNode>> deps, List<Issue> issues) {
    Map<SpaceNode, Integer> state = new IdentityHashMap<>();
    for (SpaceNode node : group) {
      List<SpaceNode> path = new ArrayList<>();
      List<SpaceNode> cycle = dfs(node, deps, state, path);
      if (cycle != null) {
        SpaceNode first = cycle.getFirst();
        String next = cycle.get(1).name();
        String names = String.join(" → ", cycle.stream().map(SpaceNode::name).toList());
        issues.add(new Issue(first, first.when().anyOf().containsKey(next) ? next : null,
            "cyclic condition " + names + "; a parameter cannot depend on itself, remove one of these conditions"));
        break;
      }
    }
    for (SpaceNode node : group) {
      if (node instanceof RepeatGroup g) {
        findCycles(g.of(), deps, issues);
      }
    }
  }

  /** Depth-first search; returns a cycle (first node repeated at the end) or null. */
  private static List<SpaceNode> dfs(SpaceNode node, Map<SpaceNode, Set<SpaceNode>> deps,
      Map<SpaceNode, Integer> state, List<SpaceNode> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<SpaceNode> cycle = new ArrayList<>(path.subList(indexOfIdentity(path, node), path.size()));
      cycle.add(node);
      return cycle;
    }
    state.put(node, 1);
    path.add(node);
    for (SpaceNode next : deps.getOrDefault(node, Set.of())) {
      List<SpaceNode> cycle = dfs(next, deps, state, path);
      if (cycle != null) {
        return cycle;
      }
    }
    path.removeLast();
    state.put(node, 2);
    return null;
  }

  private static int indexOfIdentity(List<SpaceNode> list, SpaceNode node) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == node) {
        return i;
      }
    }
    return -1;
  }

  // ---- layout ----------------------------------------------------------------------------------

  private static Layout layout(List<SpaceNode> group, String prefix, List<List<SpaceNode>> chain,
      Map<SpaceNode, Set<SpaceNode>> deps, List<Dimension> dims, List<Double> defaults) {
    Map<SpaceNode, Entry> entries = new IdentityHashMap<>();
    for (SpaceNode node : group) {
      List<Ref> when = resolve(node, chain, new ArrayList<>()).stream()
          .map(r -> new Ref(chain.size() - 1 - r.level(), r.name(), r.values()))
          .toList();
      switch (node) {
        case Parameter p -> {
          Dimension d = p.dimension(prefix + p.name());
          int index = -1;
          if (d != null) {
            index = dims.size();
            dims.add(d);
            Object def = p.defaultValue();
            if (def == null && p instanceof ChoiceParameter c) {
              def = c.choices().getFirst();
            }
            defaults.add(def == null ? 0.5 : d.unitOf(def));
          }
          entries.put(node, new ParamEntry(p, index, when));
        }
        case RepeatGroup g -> {
          int countDim = -1;
          if (g.min() < g.max()) {
            countDim = dims.size();
            Dimension d = Dimension.ofInt(prefix + g.name() + "/#count", g.min(), g.max());
            dims.add(d);
            defaults.add(g.defaultCount() == null ? 0.5 : d.unitOf((long) g.defaultCount()));
          }
          List<Layout> elements = new ArrayList<>(g.max());
          chain.add(g.of());
          for (int i = 0; i < g.max(); i++) {
            elements.add(layout(g.of(), prefix + g.name() + "/" + i + "/", chain, deps, dims, defaults));
          }
          chain.removeLast();
          entries.put(node, new GroupEntry(g, countDim, List.copyOf(elements), when));
        }
      }
    }
    List<Entry> order = new ArrayList<>(group.size());
    Set<SpaceNode> placed = Collections.newSetFromMap(new IdentityHashMap<>());
    while (order.size() < group.size()) {
      for (SpaceNode node : group) {
        if (!placed.contains(node) && placed.containsAll(deps.getOrDefault(node, Set.of()))) {
          placed.add(node);
          order.add(entries.get(node));
          break;
        }
      }
    }
    Set<String> names = new LinkedHashSet<>();
    group.forEach(n -> names.add(n.name()));
    return new Layout(List.copyOf(order), Collections.unmodifiableSet(names));
  }
}
