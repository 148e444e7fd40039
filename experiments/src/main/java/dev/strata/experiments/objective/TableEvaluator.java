package dev.strata.experiments.objective;

import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.data.DataFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Looks each configuration up in a CSV table (a tabular benchmark such as NAS-Bench-Macro): the
 * columns named like the space's parameters form the key, every numeric column of the matching
 * row becomes a metric. The table is read once; lookups are a hash-map get. A configuration with
 * no row is REJECTED. Immutable and thread-safe.
 */
public final class TableEvaluator implements TrialEvaluator {

  private final String metric;
  private final List<String> keyColumns;
  private final Map<String, Map<String, Double>> rows;

  private TableEvaluator(String metric, List<String> keyColumns, Map<String, Map<String, Double>> rows) {
    this.metric = metric;
    this.keyColumns = List.copyOf(keyColumns);
    this.rows = Map.copyOf(rows);
  }

  /**
   * Reads the table; the key columns are the space's top-level parameter names.
   *
   * @throws DataFormatException when the file cannot be read, a parameter has no column, or a key
   *     repeats
   */
  public static TableEvaluator of(ObjectiveSource.Table table, SearchSpace space) {
    TreeSet<String> names = new TreeSet<>(space.defaults().values().keySet());
    String source = table.file().toString();
    try (BufferedReader in = Files.newBufferedReader(table.file(), StandardCharsets.UTF_8)) {
      String headerLine = in.readLine();
      if (headerLine == null) {
        throw new DataFormatException(source + ": the table is empty; it needs a header row");
      }
      List<String> header = split(headerLine);
      List<Integer> keyIndex = new ArrayList<>();
      for (String n : names) {
        int i = header.indexOf(n);
        if (i < 0) {
          throw new DataFormatException(source + ":1: no column '" + n + "' for the space parameter of that name;"
              + " the columns are " + String.join(", ", header));
        }
        keyIndex.add(i);
      }
      if (!header.contains(table.column())) {
        throw new DataFormatException(source + ":1: no metric column '" + table.column() + "'");
      }
      Map<String, Map<String, Double>> rows = new HashMap<>();
      String line;
      long number = 1;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        List<String> cells = split(line);
        if (cells.size() != header.size()) {
          throw DataFormatException.at(source, number, "expected " + header.size() + " cells, got " + cells.size());
        }
        List<String> key = new ArrayList<>();
        for (int i : keyIndex) {
          key.add(normal(cells.get(i)));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          if (!keyIndex.contains(i)) {
            try {
              metrics.put(header.get(i), Double.parseDouble(cells.get(i)));
            } catch (NumberFormatException e) {
              // a text column that is not a key: not a metric
            }
          }
        }
        if (rows.put(String.join("\u0000", key), metrics) != null) {
          throw DataFormatException.at(source, number, "the configuration " + key + " appears twice");
        }
      }
      return new TableEvaluator(table.column(), List.copyOf(names), rows);
    } catch (IOException e) {
      throw new DataFormatException(source + ": cannot read the table (" + e.getMessage() + ")", e);
    }
  }

  /** Rows in the table. */
  public int size() {
    return rows.size();
  }

  @Override
  public TrialResult evaluate(Configuration configuration, TrialContext context) {
    List<String> key = new ArrayList<>();
    for (String n : keyColumns) {
      Object v = configuration.get(n);
      if (v == null) {
        return TrialResult.failed(TrialStatus.REJECTED, "the configuration has no '" + n + "'");
      }
      key.add(normal(String.valueOf(v)));
    }
    Map<String, Double> metrics = rows.get(String.join("\u0000", key));
    if (metrics == null) {
      return TrialResult.failed(TrialStatus.REJECTED, "no table row for " + key);
    }
    Double value = metrics.get(metric);
    if (value == null || !Double.isFinite(value)) {
      return TrialResult.failed(TrialStatus.FAILED, "the table row for " + key + " has no number in '" + metric + "'");
    }
    context.reportEpoch(1, Double.NaN, Double.NaN, value, 0);
    return new TrialResult(TrialStatus.COMPLETED, metrics, 0, 0, 0, null, "");
  }

  /** A number in canonical form (so 3, 3.0 and "3" match), anything else stripped. */
  static String normal(String s) {
    String t = s.strip();
    try {
      double d = Double.parseDouble(t);
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    } catch (NumberFormatException e) {
      return t;
    }
  }

  private static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    for (String cell : line.split(",", -1)) {
      String c = cell.strip();
      if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
        c = c.substring(1, c.length() - 1);
      }
      out.add(c);
    }
    return out;
  }

  @Override
  public String toString() {
    return "table(" + metric + ", " + rows.size() + " rows)";
  }

}
