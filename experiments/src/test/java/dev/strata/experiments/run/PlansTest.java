package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.strata.experiments.spec.SchedulerSpec;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.fidelity.SuccessiveHalvingScheduler;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.trial.Direction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlansTest {

  /** {@code "scheduler": "successive-halving"} is selectable: brackets of η^s_max = 9 configurations at 1, 3, 9 epochs. */
  @Test
  void successiveHalvingIsSelectable() {
    SchedulerFactory factory = Plans.scheduler(new SchedulerSpec("successive-halving", 1, 3, 2, 3), 9);
    var space = TestFunctions.byName("branin").space();
    Scheduler s = factory.wrap(Strategies.create("random", space, Direction.MINIMIZE, 1, Map.of()), Direction.MINIMIZE);
    SuccessiveHalvingScheduler sh = assertInstanceOf(SuccessiveHalvingScheduler.class, s);
    assertEquals(java.util.List.of(9, 3, 1), sh.bracket().sizes(), sh.bracket().toString());
  }
}
