package dev.strata.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.dashboard.RunCatalog;
import dev.strata.dashboard.RunHandle;
import dev.strata.dashboard.RunService;
import dev.strata.experiments.run.Budget;
import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.StudyPlan;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.BestSoFar;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata compare} ({@link Comparison}), {@code strata report} ({@link RunData#curves()})
 * and the dashboard ({@link RunService#comparison}) draw the same best-so-far for a parallel run
 * whose trials finished out of index order.
 */
class OneBestSoFarTest {

  @TempDir Path tmp;

  @Test
  void compareReportAndDashboardDrawTheSameCurves() throws Exception {
    // Trial 1 waits until three other trials have finished, so its study's later trials finish first.
    CountDownLatch others = new CountDownLatch(3);
    TrialEvaluator branin = Fixtures.branin(1, 0);
    TrialEvaluator evaluator = (configuration, context) -> {
      if (context.trialId() == 1) {
        try {
          others.await(10, TimeUnit.SECONDS);
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return branin.evaluate(configuration, context);
      }
      TrialResult r = branin.evaluate(configuration, context);
      others.countDown();
      return r;
    };
    // Two studies with four trials in flight: each study has trials running side by side.
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1), StudyPlan.of("random", 2)))
        .parallel(4).reproducible(false).budget(Budget.trials(8)).build();
    Path dir = tmp.resolve("parallel");
    try (RunStore store = RunStore.create(dir, "parallel", "loss", Direction.MINIMIZE, "{}")) {
      Runner.builder(plan, evaluator, store).strategies(Fixtures.STRATEGIES).build().run();
    }
    try (RunReader reader = RunStore.openReader(dir)) {
      RunData run = RunData.load(reader);
      List<TrialRecord> ofFirst = run.trialsByStudy().get(run.trials().getFirst().studyId());
      List<TrialRecord> byFinish = ofFirst.stream().sorted(Comparator.comparing(TrialRecord::finished)).toList();
      assertFalse(byFinish.equals(ofFirst), "the precondition: trials finished out of index order");

      JsonObject dashboard = new RunService(RunCatalog.single("parallel", RunHandle.of(reader))).comparison("parallel");
      List<BestSoFar.StudyCurve> report = run.curves();
      JsonArray studies = dashboard.getJsonArray("studies");
      assertEquals(report.size(), studies.size());
      for (int s = 0; s < report.size(); s++) {
        JsonObject study = studies.getJsonObject(s);
        assertEquals(report.get(s).trials(), study.getInteger("trials"));
        for (int i = 0; i < report.get(s).trials(); i++) {
          assertEquals(report.get(s).best()[i], stepAt(study.getJsonArray("x"), study.getJsonArray("best"), i + 1), 0,
              "study " + s + " trial " + (i + 1));
        }
      }
      Map<String, JsonObject> bands = new java.util.HashMap<>();
      dashboard.getJsonArray("byTrials").forEach(o -> bands.put(((JsonObject) o).getString("strategy"), (JsonObject) o));
      Comparison compare = Comparison.of(run);
      assertEquals(1, compare.rows().size());
      int checked = 0;
      for (Comparison.Row row : compare.rows()) {
        JsonObject band = bands.get(row.strategy());
        for (int b = 0; b < compare.budgets().size(); b++) {
          int k = compare.budgets().get(b);
          assertEquals(row.atBudget().get(b).median(), stepAt(band.getJsonArray("x"), band.getJsonArray("median"), k), 0,
              row.strategy() + " after " + k + " trials");
          assertEquals(row.atBudget().get(b).q3(), stepAt(band.getJsonArray("x"), band.getJsonArray("q3"), k), 0);
          checked += Double.isNaN(row.atBudget().get(b).median()) ? 0 : 1;
        }
      }
      assertTrue(checked >= 3, "most budget points have a value: " + checked);
    }
  }

  /** A step series (each value holds from its x until the next x) at x = k; NaN before the first x. */
  private static double stepAt(JsonArray x, JsonArray y, int k) {
    double v = Double.NaN;
    for (int i = 0; i < x.size() && x.getDouble(i) <= k; i++) {
      v = num(y.getValue(i));
    }
    return v;
  }

  private static double num(Object o) {
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }
}
