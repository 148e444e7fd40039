package dev.strata.search.prescreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyCorrelationTest {

  /** A worked example: ρ = 1 - 6 Σd² / (n(n² - 1)) without ties. */
  @Test
  void spearmanMatchesTheClosedFormWithoutTies() {
    double[] x = {106, 86, 100, 101, 99, 103, 97, 113, 112, 110};
    double[] y = {7, 0, 27, 50, 28, 29, 20, 12, 6, 17};
    // the textbook example (IQ against hours of TV): Σd² = 194, ρ = 1 - 6·194 / (10·99) = -0.175757...
    assertEquals(1 - 6 * 194.0 / 990, ProxyCorrelation.spearman(x, y), 1e-12);
  }

  @Test
  void tiesTakeTheirMeanRankAndInfinitiesRankAtTheEnds() {
    // ranks of x: 1, 2.5, 2.5, 4, 5 against y ranks 1..5
    double[] x = {1, 2, 2, 3, 4};
    double[] y = {10, 20, 30, 40, 50};
    double r = ProxyCorrelation.spearman(x, y);
    assertEquals(0.9746794344808963, r, 1e-12);
    // -inf ranks first, so monotone still gives 1
    assertEquals(1.0, ProxyCorrelation.spearman(new double[] {Double.NEGATIVE_INFINITY, -5, 0, 2, 9}, y), 1e-12);
    assertEquals(-1.0, ProxyCorrelation.spearman(new double[] {Double.POSITIVE_INFINITY, 7, 6, 5, -1e9}, y), 1e-12);
    assertTrue(Double.isNaN(ProxyCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4})));
  }

  @Test
  void perProxyRhoAndTheRunningSeriesOverTrialsInOrder() {
    List<ProxyCorrelation.Trial> trials = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double value = i;
      // "good" ranks perfectly; "bad" perfectly backwards; "some" is missing on odd trials
      Map<String, Double> s = i % 2 == 0 ? Map.of("good", 2.0 * i, "bad", -i * 1.0, "some", (double) (i % 7))
          : Map.of("good", 2.0 * i, "bad", -i * 1.0);
      trials.add(new ProxyCorrelation.Trial(s, value));
    }
    trials.add(new ProxyCorrelation.Trial(Map.of("good", 1e9), Double.NaN)); // no value: left out
    List<ProxyCorrelation.Result> r = ProxyCorrelation.of(trials, 10);
    assertEquals(List.of("bad", "good", "some"), r.stream().map(ProxyCorrelation.Result::proxy).toList());
    assertEquals(-1.0, r.get(0).rho(), 1e-12);
    assertEquals(1.0, r.get(1).rho(), 1e-12);
    assertEquals(40, r.get(1).trials());
    assertEquals(20, r.get(2).trials());
    List<double[]> running = r.get(1).running();
    assertTrue(running.size() <= 11, "thinned: " + running.size());
    assertEquals(5, running.getFirst()[0]);
    assertEquals(40, running.getLast()[0]);
    running.forEach(p -> assertEquals(1.0, p[1], 1e-12));
  }

  @Test
  void scoresAreReadFromTheProxyTags() {
    assertEquals(Map.of("naswot", -Double.MAX_VALUE, "snip", Double.NEGATIVE_INFINITY),
        ProxyCorrelation.scoresOf(Map.of("proxy.naswot", Double.toString(-Double.MAX_VALUE),
            "proxy.snip", "-Infinity", "proxy.bad", "x", "generation", "3")));
  }
}
