package dev.strata.experiments.objective;

import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.objective.TableObjective;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.data.DataFormatException;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A tabular benchmark (such as NAS-Bench-Macro) as a trial evaluator: search-core's {@link
 * TableObjective} reads the CSV once and looks each configuration up (the space's parameters are
 * the key columns, every other numeric column of the row becomes a metric). This class only maps
 * its answers to trial results: a configuration with no row is REJECTED, a row without a number in
 * the objective column FAILED. Immutable and thread-safe.
 */
public final class TableEvaluator implements TrialEvaluator {

  private final TableObjective table;

  private TableEvaluator(TableObjective table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /**
   * Reads the table; the key columns are the space's parameters.
   *
   * @throws DataFormatException when the file cannot be read, a parameter or the metric has no
   *     column, a cell is malformed, or two rows share their parameters (one line: file, line, what)
   */
  public static TableEvaluator of(ObjectiveSource.Table source, SearchSpace space, Direction direction) {
    try {
      return new TableEvaluator(TableObjective.load(source.file(), source.column(), direction, space));
    } catch (TableObjective.TableException e) {
      throw new DataFormatException(e.getMessage(), e);
    }
  }

  /** Rows in the table. */
  public int size() {
    return table.size();
  }

  /** The best row's value of the objective column: what a search on this table can reach at most. */
  public OptionalDouble optimum() {
    return table.optimum();
  }

  @Override
  public TrialResult evaluate(Configuration configuration, TrialContext context) {
    if (!table.contains(configuration)) {
      return TrialResult.failed(TrialStatus.REJECTED, "no table row for " + configuration.canonicalJson());
    }
    Map<String, Double> metrics = table.metrics(configuration);
    double value = metrics.get(table.metric());
    if (!Double.isFinite(value)) {
      return TrialResult.failed(TrialStatus.FAILED, "the table row for " + configuration.canonicalJson()
          + " has no number in '" + table.metric() + "'");
    }
    metrics.values().removeIf(v -> !Double.isFinite(v));
    context.reportEpoch(1, Double.NaN, Double.NaN, value, 0);
    return new TrialResult(TrialStatus.COMPLETED, metrics, 0, 0, 0, null, "");
  }

  @Override
  public String toString() {
    return "table(" + table.metric() + ", " + table.size() + " rows)";
  }
}
