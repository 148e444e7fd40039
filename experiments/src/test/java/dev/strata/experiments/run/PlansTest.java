package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.search.fidelity.AshaScheduler;
import dev.strata.search.fidelity.HyperbandScheduler;
import dev.strata.search.fidelity.MedianStoppingScheduler;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.fidelity.SuccessiveHalvingScheduler;
import dev.strata.search.strategy.RandomStrategy;
import dev.strata.search.trial.Direction;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlansTest {

  private static Scheduler scheduler(String type) {
    String scheduler = type == null ? "" : ", \"scheduler\": {\"type\": \"" + type + "\", \"minResource\": 1, \"eta\": 3}";
    ExperimentSpec spec = ExperimentReader.parse("""
        {"objective": {"function": "hartmann6"},
         "search": {"strategies": ["random"], "budget": {"trials": 20, "maxEpochs": 9}%s}}
        """.formatted(scheduler), "e.json", Path.of("."));
    RunPlan plan = Plans.of(spec);
    return plan.scheduler() == null ? null
        : plan.scheduler().wrap(new RandomStrategy(spec.space(), Direction.MINIMIZE, 1), Direction.MINIMIZE);
  }

  @Test
  void everySchedulerTypeIsSelectable() {
    assertInstanceOf(AshaScheduler.class, scheduler("asha"));
    assertInstanceOf(HyperbandScheduler.class, scheduler("hyperband"));
    assertInstanceOf(SuccessiveHalvingScheduler.class, scheduler("successive-halving"));
    assertInstanceOf(MedianStoppingScheduler.class, scheduler("median-stop"));
    assertNull(scheduler(null));
  }
}
