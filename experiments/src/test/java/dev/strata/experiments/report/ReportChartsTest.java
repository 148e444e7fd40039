package dev.strata.experiments.report;

import dev.strata.common.Quantiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.BestSoFar;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportChartsTest {

  private static TrialRecord trial(long id, TrialStatus status, double value, double seconds) {
    return new TrialRecord(id, 1, (int) id, Configuration.of(Map.of()), status, value, Map.of(), 0, 0, seconds,
        Instant.EPOCH, Instant.ofEpochSecond(id), "local-1", "", Map.of());
  }

  @Test
  void bestSoFarSkipsFailuresAndFollowsTheDirection() {
    List<TrialRecord> trials = List.of(trial(1, TrialStatus.FAILED, Double.NaN, 1), trial(2, TrialStatus.COMPLETED, 0.5, 2),
        trial(3, TrialStatus.COMPLETED, 0.7, 1), trial(4, TrialStatus.COMPLETED, 0.6, 1));
    List<StudyRecord> study = List.of(new StudyRecord(1, "random", 1, 4, Map.of()));
    assertArrayEquals(new double[] {Double.NaN, 0.5, 0.7, 0.7}, BestSoFar.curves(study, trials, Direction.MAXIMIZE).getFirst().best());
    assertArrayEquals(new double[] {Double.NaN, 0.5, 0.5, 0.5}, BestSoFar.curves(study, trials, Direction.MINIMIZE).getFirst().best());
    assertArrayEquals(new double[] {1, 3, 4, 5}, BestSoFar.curves(study, trials, Direction.MINIMIZE).getFirst().seconds());
  }

  @Test
  void quantilesInterpolateLinearly() {
    double[] v = {1, 2, 3, 4};
    assertEquals(2.5, Quantiles.type7(v, 0.5), 1e-12);
    assertEquals(1.75, Quantiles.type7(v, 0.25), 1e-12);
    assertEquals(3.25, Quantiles.type7(v, 0.75), 1e-12);
    assertEquals(7, Quantiles.type7(new double[] {7}, 0.25), 1e-12);
  }

  @Test
  void svgChartsAreSelfContained() {
    String svg = SvgChart.of("t <&>", "x", "y").band("a", new double[] {1, 2, 3}, new double[] {1, 2, 2},
        new double[] {0.5, 1.5, 1.5}, new double[] {1.5, 2.5, 2.5}).render();
    assertTrue(svg.startsWith("<svg") && svg.contains("<polyline") && svg.contains("<path"));
    assertTrue(svg.contains("t &lt;&amp;&gt;"));
    assertTrue(SvgChart.of("empty", "x", "y").render().contains("no data yet"));
    assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, SvgChart.ticks(0.03, 0.97, 6), 1e-12);
  }
}
