package dev.strata.experiments.store;

import java.util.List;

/**
 * The aggregates of schema version 4, which the dashboard reads instead of the trials table, so
 * that a first page load costs the same at a thousand trials as at a million. SQLite triggers keep
 * them, in the transaction that inserts or updates a trial, whatever code writes it. Stateless.
 *
 * <ul>
 *   <li>{@code trial_counts (study_id, status, n)}: trials per study and status.
 *   <li>{@code study_progress (study_id, finished, seconds)}: finished trials per study and their
 *       training seconds (negative or non-finite seconds count 0), as {@code BestSoFar} counts them.
 *   <li>{@code best_changes (study_id, idx, trial_id, value, k, seconds)}: the change points of each
 *       study's best-so-far in {@code BestSoFar}'s order (finished trials by index; feasible
 *       COMPLETED ones with a finite value set the best; a change point is strictly better than the one before):
 *       trial {@code idx} is finished trial number {@code k} of its study and made the best {@code
 *       value} after {@code seconds} of training. A trial that finishes out of index order (parallel
 *       trials) shifts {@code k} and {@code seconds} of the later change points, and removes those
 *       it beats.
 *   <li>{@code pareto_front (trial_id, study_id, parameters, value)}: the feasible COMPLETED trials with a
 *       finite value and a positive parameter count that no other dominates (no more parameters and
 *       an objective at least as good, one of the two strictly better), as {@code ParetoFront}
 *       defines it.
 * </ul>
 *
 * <p>A trial is feasible unless its metrics carry a positive {@code constraint_violation} (the
 * study judged it against the experiment's constraints before committing it; {@link #feasible}),
 * the one definition {@code BestSoFar.counts} also reads. The objective's direction is read from the experiment row when a trigger fires; the score
 * {@code value} (maximize) or {@code -value} (minimize) is higher when better. Finished statuses
 * never change (the store refuses), so a trial enters the best-so-far and the front once.
 * {@code SqliteRunReaderTest} checks every aggregate against {@code BestSoFar} and {@code
 * ParetoFront} on runs that finish out of order, in both directions.
 */
final class Aggregates {

  private Aggregates() {}

  private static final String FINISHED = Schema.FINISHED_SQL;
  private static final String DIRECTION = "(SELECT direction FROM experiment WHERE id = 1)";

  /** Higher is better. */
  private static String score(String v) {
    return "(CASE WHEN " + DIRECTION + " = 'MINIMIZE' THEN -(" + v + ") ELSE (" + v + ") END)";
  }

  private static String finite(String v) {
    return "(" + v + " BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308)";
  }

  /**
   * Whether the trial whose metrics are {@code metricsJson} is feasible: it carries no positive
   * {@code constraint_violation} ({@code TrialRecord.isFeasible}; a trial stored before version 5
   * carries none).
   */
  static String feasible(String metricsJson) {
    return "(COALESCE(json_extract(" + metricsJson + ", '$." + dev.strata.search.trial.Objectives.VIOLATION + "'), 0) <= 0)";
  }

  /** Training seconds as BestSoFar counts them. */
  private static String seconds(String v) {
    return "(CASE WHEN " + v + " > 0 AND " + v + " <= 1.7976931348623157e308 THEN " + v + " ELSE 0 END)";
  }

  /** The statements a newly finished trial NEW runs (AFTER INSERT of a finished row, or AFTER UPDATE to finished). */
  private static String onFinished() {
    String changePoint = "NEW.status = 'COMPLETED' AND " + finite("NEW.value") + " AND " + feasible("NEW.metrics_json")
        + " AND COALESCE((SELECT " + score("b.value") + " < " + score("NEW.value") + " FROM best_changes b"
        + " WHERE b.study_id = NEW.study_id AND b.idx < NEW.idx ORDER BY b.idx DESC LIMIT 1), 1)";
    String laterFinished = " FROM trials t WHERE t.study_id = NEW.study_id AND t.idx > NEW.idx AND t.status IN " + FINISHED;
    String eligible = "NEW.status = 'COMPLETED' AND " + finite("NEW.value") + " AND " + feasible("NEW.metrics_json")
        + " AND NEW.parameters > 0";
    return """
        INSERT INTO study_progress (study_id, finished, seconds) VALUES (NEW.study_id, 1, %1$s)
          ON CONFLICT (study_id) DO UPDATE SET finished = finished + 1, seconds = seconds + excluded.seconds;
        UPDATE best_changes SET k = k + 1, seconds = seconds + %1$s WHERE study_id = NEW.study_id AND idx > NEW.idx;
        INSERT INTO best_changes (study_id, idx, trial_id, value, k, seconds)
          SELECT NEW.study_id, NEW.idx, NEW.id, NEW.value,
                 p.finished - (SELECT COUNT(*) %2$s),
                 p.seconds - (SELECT TOTAL(%3$s) %2$s)
          FROM study_progress p WHERE p.study_id = NEW.study_id AND %4$s;
        DELETE FROM best_changes WHERE study_id = NEW.study_id AND idx > NEW.idx
          AND EXISTS (SELECT 1 FROM best_changes n WHERE n.study_id = NEW.study_id AND n.idx = NEW.idx)
          AND %5$s <= %6$s;
        INSERT INTO pareto_front (trial_id, study_id, parameters, value)
          SELECT NEW.id, NEW.study_id, NEW.parameters, NEW.value WHERE %7$s AND NOT EXISTS (
            SELECT 1 FROM pareto_front f WHERE f.parameters <= NEW.parameters AND %8$s >= %6$s
              AND (f.parameters < NEW.parameters OR %8$s > %6$s));
        DELETE FROM pareto_front WHERE EXISTS (SELECT 1 FROM pareto_front n WHERE n.trial_id = NEW.id)
          AND NEW.parameters <= parameters AND %6$s >= %5$s AND (NEW.parameters < parameters OR %6$s > %5$s)
          AND trial_id <> NEW.id;
        """.formatted(seconds("NEW.train_seconds"), laterFinished, seconds("t.train_seconds"), changePoint,
        score("value"), score("NEW.value"), eligible, score("f.value"));
  }

  /** Trials per study and status: {@code study_id, status, n}. */
  static final String COUNTS_SELECT = "SELECT study_id, status, COUNT(*) FROM trials GROUP BY study_id, status";

  /** Finished trials per study and their training seconds: {@code study_id, finished, seconds}. */
  static final String PROGRESS_SELECT = "SELECT study_id, COUNT(*), TOTAL(" + seconds("train_seconds")
      + ") FROM trials WHERE status IN " + FINISHED + " GROUP BY study_id";

  /** The best-so-far change points of every study, in one pass: {@code study_id, idx, id, value, k, secs}. */
  static final String BEST_CHANGES_SELECT = """
      SELECT study_id, idx, id, value, k, secs FROM (
        SELECT study_id, idx, id, value, sc, ROW_NUMBER() OVER w AS k, SUM(%1$s) OVER w AS secs,
               MAX(sc) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
        FROM (SELECT study_id, idx, id, value, train_seconds,
                     CASE WHEN status = 'COMPLETED' AND %2$s AND %5$s THEN %3$s END AS sc
              FROM trials WHERE status IN %4$s)
        WINDOW w AS (PARTITION BY study_id ORDER BY idx))
      WHERE sc IS NOT NULL AND (prev IS NULL OR sc > prev)""".formatted(seconds("train_seconds"), finite("value"),
      score("value"), FINISHED, feasible("metrics_json"));

  /** The Pareto front, in one pass: {@code id, study_id, parameters, value}. */
  static final String PARETO_SELECT = """
      SELECT id, study_id, parameters, value FROM (
        SELECT id, study_id, parameters, value, sc,
               MAX(sc) OVER (ORDER BY parameters RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS fewer,
               MAX(sc) OVER (PARTITION BY parameters) AS same
        FROM (SELECT id, study_id, parameters, value, %1$s AS sc FROM trials
              WHERE status = 'COMPLETED' AND %2$s AND %3$s AND parameters > 0))
      WHERE (fewer IS NULL OR sc > fewer) AND sc >= same""".formatted(score("value"), finite("value"),
      feasible("metrics_json"));

  private static final String TRIGGER_INSERTED_FINISHED =
      "CREATE TRIGGER trials_inserted_finished AFTER INSERT ON trials WHEN NEW.status IN " + FINISHED + " BEGIN\n"
          + onFinished() + "END";
  private static final String TRIGGER_FINISHED = "CREATE TRIGGER trials_finished AFTER UPDATE OF status ON trials"
      + " WHEN NEW.status IN " + FINISHED + " AND OLD.status NOT IN " + FINISHED + " BEGIN\n" + onFinished() + "END";

  /**
   * Migration 4: tables, their contents for the trials already stored (by the selects above, which
   * a reader of an older store also runs, {@link SqliteRunReader}), triggers, indexes.
   */
  static final List<String> MIGRATION = List.of(
      "CREATE TABLE trial_counts (study_id INTEGER NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL,"
          + " PRIMARY KEY (study_id, status)) WITHOUT ROWID",
      "CREATE TABLE study_progress (study_id INTEGER PRIMARY KEY, finished INTEGER NOT NULL, seconds REAL NOT NULL)",
      "CREATE TABLE best_changes (study_id INTEGER NOT NULL, idx INTEGER NOT NULL, trial_id INTEGER NOT NULL,"
          + " value REAL NOT NULL, k INTEGER NOT NULL, seconds REAL NOT NULL, PRIMARY KEY (study_id, idx)) WITHOUT ROWID",
      "CREATE TABLE pareto_front (trial_id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL, parameters INTEGER NOT NULL,"
          + " value REAL NOT NULL)",
      "CREATE INDEX pareto_front_by_parameters ON pareto_front (parameters)",
      "INSERT INTO trial_counts (study_id, status, n) " + COUNTS_SELECT,
      "INSERT INTO study_progress (study_id, finished, seconds) " + PROGRESS_SELECT,
      "INSERT INTO best_changes (study_id, idx, trial_id, value, k, seconds)\n" + BEST_CHANGES_SELECT,
      "INSERT INTO pareto_front (trial_id, study_id, parameters, value)\n" + PARETO_SELECT,
      """
      CREATE TRIGGER trials_counted AFTER INSERT ON trials BEGIN
        INSERT INTO trial_counts (study_id, status, n) VALUES (NEW.study_id, NEW.status, 1)
          ON CONFLICT (study_id, status) DO UPDATE SET n = n + 1;
      END""",
      """
      CREATE TRIGGER trials_recounted AFTER UPDATE OF status ON trials WHEN OLD.status IS NOT NEW.status BEGIN
        UPDATE trial_counts SET n = n - 1 WHERE study_id = OLD.study_id AND status = OLD.status;
        INSERT INTO trial_counts (study_id, status, n) VALUES (NEW.study_id, NEW.status, 1)
          ON CONFLICT (study_id, status) DO UPDATE SET n = n + 1;
      END""",
      """
      CREATE TRIGGER trials_uncounted AFTER DELETE ON trials BEGIN
        UPDATE trial_counts SET n = n - 1 WHERE study_id = OLD.study_id AND status = OLD.status;
      END""",
      TRIGGER_INSERTED_FINISHED,
      TRIGGER_FINISHED,
      // The leaderboard's orders, each with the id as tie-break (an index holds the rowid): keyset pages.
      "CREATE INDEX trials_by_parameters ON trials (parameters)",
      "CREATE INDEX trials_by_train_seconds ON trials (train_seconds)",
      "CREATE INDEX trials_by_finished ON trials (finished_ms)");

  /**
   * Migration 5: infeasible trials leave the best-so-far and the front. The triggers are replaced
   * and both tables refilled by the selects above (for a store written before, whose trials carry
   * no violation, with the same rows).
   */
  static final List<String> FEASIBLE_ONLY = List.of(
      "DROP TRIGGER trials_inserted_finished",
      "DROP TRIGGER trials_finished",
      "DELETE FROM best_changes",
      "DELETE FROM pareto_front",
      "INSERT INTO best_changes (study_id, idx, trial_id, value, k, seconds)\n" + BEST_CHANGES_SELECT,
      "INSERT INTO pareto_front (trial_id, study_id, parameters, value)\n" + PARETO_SELECT,
      TRIGGER_INSERTED_FINISHED,
      TRIGGER_FINISHED);
}
