package dev.strata.search.objective;

import dev.strata.common.DidYouMean;
import dev.strata.search.space.ChoiceParameter;
import dev.strata.search.space.Dimension;
import dev.strata.search.space.ParameterSpace;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tabular benchmark as an objective: a CSV file with one row per configuration, its parameter
 * columns and its metric columns (for example NAS-Bench-Macro: {@code layer0..layer7} and {@code
 * mean_test_acc}, {@code params}, ...). A configuration is answered by looking up its row.
 *
 * <p><b>Which columns are parameters.</b>
 *
 * <ul>
 *   <li>With a space: the space's dimension paths are the parameter columns (a repeat group's
 *       {@code NAME/#count} may be left out); every other numeric column is a metric, and text
 *       columns (an architecture string, a comment) are ignored. The optimised metric must be
 *       numeric.
 *   <li>Without a space, with the metric columns named ({@link #load(Path, String, Direction,
 *       SearchSpace, Collection)}): every other column is a parameter.
 *   <li>Without a space and without names ({@link #load(Path, String, Direction, SearchSpace)}):
 *       the other columns are taken in order of increasing number of distinct values (ties in
 *       file order) until they tell every row apart; those are the parameters, the rest are
 *       metrics. For NAS-Bench-Macro that is {@code layer0..layer7}.
 * </ul>
 *
 * <p><b>The inferred space.</b> Without a space, each parameter column becomes a categorical
 * choice of its distinct values, sorted; the values are Longs when every cell of the column parses
 * as an integer, Doubles when every cell parses as a number, strings otherwise. An inferred space
 * has no conditions, so rows with empty parameter cells are reachable only with a given space.
 *
 * <p><b>Lookup.</b> Rows are keyed by the canonical text of their parameter values (numbers
 * compare by value, so {@code 64} and {@code 64.0} are the same key; an empty cell is an inactive
 * parameter). A configuration without a row throws {@link IllegalArgumentException} naming it. The
 * {@link #optimum()} is the best row's metric in the given direction; rows with an empty metric
 * are skipped for it and evaluate to NaN.
 *
 * <p>Bad input throws {@link TableException} with one line {@code FILE: what (how to fix)} or
 * {@code FILE:LINE: what}. Immutable and thread-safe.
 */
public final class TableObjective implements Objective {

  private final Path file;
  private final String name;
  private final String metric;
  private final Direction direction;
  private final SearchSpace space;
  private final List<String> parameterColumns;
  private final List<String> metricColumns;
  private final Map<List<String>, double[]> rows;
  private final List<String> bestKey;
  private final double optimum;

  private TableObjective(Path file, String metric, Direction direction, SearchSpace space,
      List<String> parameterColumns, List<String> metricColumns, Map<List<String>, double[]> rows) {
    this.file = file;
    String fileName = file.getFileName().toString();
    this.name = fileName.toLowerCase(Locale.ROOT).endsWith(".csv")
        ? fileName.substring(0, fileName.length() - 4) : fileName;
    this.metric = metric;
    this.direction = direction;
    this.space = space;
    this.parameterColumns = List.copyOf(parameterColumns);
    this.metricColumns = List.copyOf(metricColumns);
    this.rows = rows;
    int m = metricColumns.indexOf(metric);
    List<String> best = null;
    double bestValue = Double.NaN;
    for (var e : rows.entrySet()) {
      double v = e.getValue()[m];
      if (Double.isFinite(v) && (best == null || direction.isBetter(v, bestValue))) {
        best = e.getKey();
        bestValue = v;
      }
    }
    this.bestKey = best;
    this.optimum = bestValue;
  }

  /**
   * Loads a table, inferring which columns are parameters when {@code spaceOrNull} is null (see
   * the class comment).
   *
   * @param metric the column to optimise
   * @throws TableException for an unreadable file, a missing column, a malformed row, or rows that
   *     share their parameters
   */
  public static TableObjective load(Path csv, String metric, Direction direction,
      SearchSpace spaceOrNull) {
    return load(csv, metric, direction, spaceOrNull, null);
  }

  /**
   * Loads a table whose metric columns are named: {@code metric} and {@code otherMetrics}; every
   * other column is a parameter (ignored when a space is given: then the space decides).
   */
  public static TableObjective load(Path csv, String metric, Direction direction,
      SearchSpace spaceOrNull, Collection<String> otherMetrics) {
    Objects.requireNonNull(csv, "csv");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(direction, "direction");
    Csv table = Csv.read(csv);
    table.requireColumn(metric);
    List<String> params;
    if (spaceOrNull != null) {
      params = new ArrayList<>();
      for (Dimension d : spaceOrNull.dimensions()) {
        if (table.index(d.path()) >= 0) {
          params.add(d.path());
        } else if (!d.path().endsWith("#count")) {
          throw table.noColumn(d.path(), "for parameter '" + d.path() + "' of the space");
        }
      }
    } else if (otherMetrics != null) {
      Set<String> metrics = new LinkedHashSet<>(otherMetrics);
      metrics.forEach(table::requireColumn);
      metrics.add(metric);
      params = table.header.stream().filter(c -> !metrics.contains(c)).toList();
    } else {
      params = table.inferParameters(metric);
    }
    if (params.isEmpty()) {
      throw new TableException(table.source + ": no parameter columns are left besides the metrics "
          + "(columns: " + String.join(", ", table.header) + ")");
    }
    List<String> metrics = table.header.stream().filter(c -> !params.contains(c))
        .filter(c -> spaceOrNull == null || c.equals(metric) || table.numeric(c)).toList();
    SearchSpace space = spaceOrNull != null ? spaceOrNull : table.inferSpace(params);
    Map<List<String>, double[]> rows = table.rows(params, metrics);
    return new TableObjective(csv, metric, direction, space, params, metrics, rows);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SearchSpace space() {
    return space;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  /** The metric column optimised. */
  public String metric() {
    return metric;
  }

  public Path file() {
    return file;
  }

  /** The parameter columns, in file order (space order when a space was given). */
  public List<String> parameterColumns() {
    return parameterColumns;
  }

  /** Every metric column, in file order. */
  public List<String> metricColumns() {
    return metricColumns;
  }

  /** The number of rows. */
  public int size() {
    return rows.size();
  }

  @Override
  public double evaluate(Configuration configuration) {
    return row(configuration)[metricColumns.indexOf(metric)];
  }

  /** Every metric of a configuration's row, by column (NaN for empty cells). */
  public Map<String, Double> metrics(Configuration configuration) {
    double[] row = row(configuration);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < metricColumns.size(); i++) {
      out.put(metricColumns.get(i), row[i]);
    }
    return out;
  }

  /** Whether the table has a row for the configuration. */
  public boolean contains(Configuration configuration) {
    return rows.containsKey(key(configuration));
  }

  @Override
  public OptionalDouble optimum() {
    return bestKey == null ? OptionalDouble.empty() : OptionalDouble.of(optimum);
  }

  /** The configuration of the best row; empty when no row has a value. */
  public java.util.Optional<Configuration> best() {
    if (bestKey == null) {
      return java.util.Optional.empty();
    }
    Map<String, Dimension> dimensions = new HashMap<>();
    space.dimensions().forEach(d -> dimensions.put(d.path(), d));
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < parameterColumns.size(); i++) {
      String text = bestKey.get(i);
      if (!text.isEmpty()) {
        values.put(parameterColumns.get(i), typed(dimensions.get(parameterColumns.get(i)), text));
      }
    }
    return java.util.Optional.of(unflatten(values));
  }

  /** A key text as the space types it: the matching choice, a Long or a Double. */
  private static Object typed(Dimension d, String text) {
    if (d != null && d.kind() == Dimension.Kind.CATEGORICAL) {
      for (Object choice : d.choices()) {
        if (Csv.canonical(String.valueOf(choice)).equals(text)) {
          return choice;
        }
      }
    }
    Object v = Csv.typed(text);
    if (d != null && v instanceof Number n) {
      return d.kind() == Dimension.Kind.FLOAT ? (Object) n.doubleValue()
          : d.kind() == Dimension.Kind.INT ? (Object) n.longValue() : v;
    }
    return v;
  }

  /** The inverse of {@link #flatten} for paths {@code a/b} and {@code a/0/b}. */
  private static Configuration unflatten(Map<String, Object> flat) {
    Map<String, Object> root = new java.util.TreeMap<>();
    flat.forEach((path, value) -> {
      if (path.endsWith("/#count")) {
        return;
      }
      String[] parts = path.split("/");
      Object node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        node = child(node, parts[i], parts[i + 1].chars().allMatch(Character::isDigit));
      }
      put(node, parts[parts.length - 1], value);
    });
    return Configuration.of(root);
  }

  @SuppressWarnings("unchecked")
  private static Object child(Object node, String part, boolean list) {
    Object existing = node instanceof Map<?, ?> m ? m.get(part) : get((List<Object>) node, part);
    if (existing != null) {
      return existing;
    }
    Object created = list ? new ArrayList<>() : new java.util.TreeMap<String, Object>();
    put(node, part, created);
    return created;
  }

  private static Object get(List<Object> list, String index) {
    int i = Integer.parseInt(index);
    return i < list.size() ? list.get(i) : null;
  }

  @SuppressWarnings("unchecked")
  private static void put(Object node, String part, Object value) {
    if (node instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).put(part, value);
    } else {
      List<Object> list = (List<Object>) node;
      int i = Integer.parseInt(part);
      while (list.size() <= i) {
        list.add(null);
      }
      list.set(i, value);
    }
  }

  private double[] row(Configuration configuration) {
    double[] row = rows.get(key(configuration));
    if (row == null) {
      throw new IllegalArgumentException(
          "no row for configuration " + configuration.canonicalJson() + " in " + file);
    }
    return row;
  }

  private List<String> key(Configuration configuration) {
    Map<String, Object> flat = new HashMap<>();
    flatten("", configuration.values(), flat);
    List<String> key = new ArrayList<>(parameterColumns.size());
    for (String column : parameterColumns) {
      Object v = flat.get(column);
      key.add(v == null ? "" : Csv.canonical(String.valueOf(v)));
    }
    return key;
  }

  /** Nested maps become {@code a/b}, list elements {@code a/0/b}, plus {@code a/#count}. */
  private static void flatten(String prefix, Map<String, ?> map, Map<String, Object> out) {
    map.forEach((k, v) -> {
      String path = prefix + k;
      if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, ?> inner = (Map<String, ?>) m;
        flatten(path + "/", inner, out);
      } else if (v instanceof List<?> list) {
        out.put(path + "/#count", (long) list.size());
        for (int i = 0; i < list.size(); i++) {
          Object e = list.get(i);
          if (e instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> inner = (Map<String, ?>) m;
            flatten(path + "/" + i + "/", inner, out);
          } else {
            out.put(path + "/" + i, e);
          }
        }
      } else {
        out.put(path, v);
      }
    });
  }

  @Override
  public String toString() {
    return "TableObjective[" + file + ", " + metric + ", " + direction.name().toLowerCase(Locale.ROOT)
        + ", " + rows.size() + " rows]";
  }

  /** A bad table: one line saying what is wrong and where. */
  public static final class TableException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TableException(String message) {
      super(message);
    }
  }

  /** The parsed file: header and cells. */
  private static final class Csv {
    final String source;
    final List<String> header;
    final List<String[]> cells = new ArrayList<>();
    /** {@link #canonical} of every cell, computed once. */
    final List<String[]> keys = new ArrayList<>();
    final List<Integer> lines = new ArrayList<>();

    private Csv(String source, List<String> header) {
      this.source = source;
      this.header = header;
    }

    static Csv read(Path path) {
      String text;
      try {
        text = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new TableException(path + ": cannot read the table (" + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      }
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      String source = path.toString();
      List<List<String>> records = new ArrayList<>();
      List<Integer> lineNumbers = new ArrayList<>();
      parse(text, source, records, lineNumbers);
      if (records.isEmpty()) {
        throw new TableException(source + ": the table is empty; the first line must name the columns");
      }
      List<String> header = records.getFirst().stream().map(String::strip).toList();
      Set<String> seen = new java.util.HashSet<>();
      for (String h : header) {
        if (h.isEmpty()) {
          throw new TableException(source + ":" + lineNumbers.getFirst() + ": a column has no name");
        }
        if (!seen.add(h)) {
          throw new TableException(source + ":" + lineNumbers.getFirst() + ": column '" + h
              + "' appears twice");
        }
      }
      Csv csv = new Csv(source, header);
      for (int r = 1; r < records.size(); r++) {
        List<String> rec = records.get(r);
        if (rec.size() != header.size()) {
          throw new TableException(source + ":" + lineNumbers.get(r) + ": expected " + header.size()
              + " fields, got " + rec.size());
        }
        String[] row = rec.stream().map(String::strip).toArray(String[]::new);
        csv.cells.add(row);
        String[] key = new String[row.length];
        for (int i = 0; i < row.length; i++) {
          key[i] = canonical(row[i]);
        }
        csv.keys.add(key);
        csv.lines.add(lineNumbers.get(r));
      }
      if (csv.cells.isEmpty()) {
        throw new TableException(source + ": the table has a header but no rows");
      }
      return csv;
    }

    /** RFC 4180: commas, double quotes ("" inside quotes), CRLF or LF; blank lines skipped. */
    private static void parse(String text, String source, List<List<String>> records,
        List<Integer> lineNumbers) {
      List<String> record = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean any = false;
      int line = 1;
      int recordLine = 1;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            if (c == '\n') {
              line++;
            }
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
          any = true;
        } else if (c == ',') {
          record.add(field.toString());
          field.setLength(0);
          any = true;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          }
          if (any || !field.isEmpty()) {
            record.add(field.toString());
            records.add(record);
            lineNumbers.add(recordLine);
          }
          record = new ArrayList<>();
          field.setLength(0);
          any = false;
          line++;
          recordLine = line;
        } else {
          field.append(c);
          any = true;
        }
      }
      if (quoted) {
        throw new TableException(source + ":" + recordLine + ": a quoted field is not closed");
      }
      if (any || !field.isEmpty()) {
        record.add(field.toString());
        records.add(record);
        lineNumbers.add(recordLine);
      }
    }

    int index(String column) {
      return header.indexOf(column);
    }

    /** Whether every cell of the column is a number or empty (NaN). */
    boolean numeric(String column) {
      int i = index(column);
      for (String[] row : cells) {
        String cell = row[i];
        if (!cell.isEmpty() && !cell.equalsIgnoreCase("nan") && parseDouble(cell) == null) {
          return false;
        }
      }
      return true;
    }

    void requireColumn(String column) {
      if (index(column) < 0) {
        throw noColumn(column, null);
      }
    }

    TableException noColumn(String column, String purpose) {
      return new TableException(source + ": no column '" + column + "'"
          + (purpose == null ? "" : " " + purpose) + suggestion(column) + "; columns: "
          + String.join(", ", header));
    }

    /** " (did you mean 'x'?)": a column containing the name (the shortest), else the closest. */
    private String suggestion(String column) {
      String lower = column.toLowerCase(Locale.ROOT);
      String best = null;
      for (String h : header) {
        String hl = h.toLowerCase(Locale.ROOT);
        if ((hl.contains(lower) || lower.contains(hl)) && (best == null || h.length() < best.length())) {
          best = h;
        }
      }
      if (best == null) {
        int bestDistance = Integer.MAX_VALUE;
        for (String h : header) {
          int d = DidYouMean.distance(lower, h.toLowerCase(Locale.ROOT));
          if (d < bestDistance) {
            bestDistance = d;
            best = h;
          }
        }
        if (bestDistance > Math.max(2, column.length() / 3)) {
          best = null;
        }
      }
      return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** The fewest columns, by increasing distinct count, that tell every row apart. */
    List<String> inferParameters(String metric) {
      List<String> candidates = new ArrayList<>(header);
      candidates.remove(metric);
      Map<String, Integer> distinct = new HashMap<>();
      for (String c : candidates) {
        int i = index(c);
        Set<String> values = new java.util.HashSet<>();
        for (String[] row : keys) {
          values.add(row[i]);
        }
        distinct.put(c, values.size());
      }
      candidates.sort(Comparator.comparingInt(distinct::get));
      List<String> chosen = new ArrayList<>();
      Map<List<String>, Integer> keys = null;
      for (String c : candidates) {
        chosen.add(c);
        keys = new HashMap<>();
        boolean unique = true;
        for (int r = 0; r < cells.size() && unique; r++) {
          unique = keys.put(keyOf(r, chosen), r) == null;
        }
        if (unique) {
          List<String> inFileOrder = new ArrayList<>(chosen);
          inFileOrder.sort(Comparator.comparingInt(this::index));
          return inFileOrder;
        }
      }
      // No set of columns tells the rows apart: report the duplicate over all the columns.
      rows(candidates, List.of(metric));
      throw new IllegalStateException("unreachable");
    }

    private List<String> keyOf(int r, List<String> columns) {
      List<String> key = new ArrayList<>(columns.size());
      String[] row = keys.get(r);
      for (String c : columns) {
        key.add(row[index(c)]);
      }
      return key;
    }

    SearchSpace inferSpace(List<String> params) {
      List<ChoiceParameter> parameters = new ArrayList<>();
      for (String p : params) {
        int i = index(p);
        Set<String> texts = new LinkedHashSet<>();
        for (String[] row : keys) {
          if (!row[i].isEmpty()) {
            texts.add(row[i]);
          }
        }
        if (texts.isEmpty()) {
          throw new TableException(source + ": parameter column '" + p + "' is empty");
        }
        List<Object> choices = choices(texts);
        try {
          parameters.add(ChoiceParameter.of(p, choices.toArray()));
        } catch (IllegalArgumentException e) {
          throw new TableException(source + ": parameter column '" + p + "': " + e.getMessage());
        }
      }
      return ParameterSpace.of(parameters);
    }

    /** Longs when all parse as integers, Doubles when all parse as numbers, else strings; sorted. */
    private static List<Object> choices(Set<String> texts) {
      boolean allLong = true;
      boolean allDouble = true;
      for (String t : texts) {
        allLong &= parseLong(t) != null;
        allDouble &= parseDouble(t) != null;
      }
      List<Object> out = new ArrayList<>();
      if (allLong) {
        new TreeSet<>(texts.stream().map(Csv::parseLong).toList()).forEach(out::add);
      } else if (allDouble) {
        new TreeSet<>(texts.stream().map(Csv::parseDouble).toList()).forEach(out::add);
      } else {
        new TreeSet<>(texts).forEach(out::add);
      }
      return out;
    }

    Map<List<String>, double[]> rows(List<String> params, List<String> metrics) {
      Map<List<String>, double[]> out = new HashMap<>();
      Map<List<String>, Integer> lineOf = new HashMap<>();
      int[] metricIndex = metrics.stream().mapToInt(this::index).toArray();
      for (int r = 0; r < cells.size(); r++) {
        String[] row = cells.get(r);
        List<String> key = List.copyOf(keyOf(r, params));
        double[] values = new double[metricIndex.length];
        for (int m = 0; m < metricIndex.length; m++) {
          String cell = row[metricIndex[m]];
          if (cell.isEmpty() || cell.equalsIgnoreCase("nan")) {
            values[m] = Double.NaN;
          } else {
            Double v = parseDouble(cell);
            if (v == null) {
              throw new TableException(source + ":" + lines.get(r) + ": column '" + metrics.get(m)
                  + "': '" + cell + "' is not a number");
            }
            values[m] = v;
          }
        }
        Integer previous = lineOf.putIfAbsent(key, lines.get(r));
        if (previous != null) {
          throw new TableException(source + ":" + lines.get(r) + ": same parameters as line "
              + previous + " (" + describe(params, key) + "); every configuration needs one row");
        }
        out.put(key, values);
      }
      return Map.copyOf(out);
    }

    private static String describe(List<String> params, List<String> key) {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < params.size(); i++) {
        parts.add(params.get(i) + "=" + key.get(i));
      }
      return String.join(", ", parts);
    }

    /** The lookup form of a cell or a value: numbers by value, everything else as text. */
    static String canonical(String text) {
      String t = text.strip();
      if (t.isEmpty()) {
        return t;
      }
      Double d = parseDouble(t);
      if (d != null && Double.isFinite(d)) {
        try {
          BigDecimal b = new BigDecimal(t);
          return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
          return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
      }
      return t;
    }

    /** A key text back to a value: Long, Double or String. */
    static Object typed(String canonicalText) {
      Long l = parseLong(canonicalText);
      if (l != null) {
        return l;
      }
      Double d = parseDouble(canonicalText);
      return d != null ? d : canonicalText;
    }

    private static Long parseLong(String t) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private static Double parseDouble(String t) {
      if (t.isEmpty() || !(Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith("."))) {
        return null; // rejects "NaN", "Infinity", "1d", "2f" that Double.parseDouble accepts
      }
      try {
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
