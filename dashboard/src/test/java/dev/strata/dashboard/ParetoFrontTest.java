package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {

  static TrialRecord t(long id, long params, double value, TrialStatus status) {
    return new TrialRecord(id, 1, (int) id, Configuration.of(Map.of("i", id)), status, value, Map.of(), params, 0, 1,
        null, null, "", "", Map.of());
  }

  static List<TrialRecord> known() {
    return List.of(
        t(1, 100, 0.5, TrialStatus.COMPLETED),
        t(2, 200, 0.7, TrialStatus.COMPLETED),
        t(3, 150, 0.4, TrialStatus.COMPLETED), // dominated by 1
        t(4, 300, 0.7, TrialStatus.COMPLETED), // dominated by 2
        t(5, 50, 0.3, TrialStatus.COMPLETED),
        t(6, 400, 0.9, TrialStatus.COMPLETED),
        t(7, 200, 0.7, TrialStatus.COMPLETED), // exact tie with 2
        t(8, 10, Double.NaN, TrialStatus.FAILED),
        t(9, 20, 0.99, TrialStatus.PRUNED), // not completed
        t(10, 0, 0.95, TrialStatus.COMPLETED)); // no parameter count
  }

  @Test
  void maximisedFrontByParameterCount() {
    List<Long> ids = ParetoFront.of(known(), Direction.MAXIMIZE).stream().map(TrialRecord::id).toList();
    assertEquals(List.of(5L, 1L, 2L, 7L, 6L), ids);
  }

  @Test
  void minimisedFront() {
    // minimising: 5 (50, 0.3) dominates everything with more parameters and larger values
    List<Long> ids = ParetoFront.of(known(), Direction.MINIMIZE).stream().map(TrialRecord::id).toList();
    assertEquals(List.of(5L), ids);
  }

  @Test
  void emptyWithoutEligibleTrials() {
    assertEquals(List.of(), ParetoFront.of(List.of(t(1, 10, Double.NaN, TrialStatus.DIVERGED)), Direction.MAXIMIZE));
  }
}
