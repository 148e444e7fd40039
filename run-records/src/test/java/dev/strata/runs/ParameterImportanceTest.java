package dev.strata.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterImportanceTest {

  /** Pages list a result in its map's order, so the result keeps it largest first whatever it was given. */
  @Test
  void aResultIsLargestFirstWhateverOrderItIsGiven() {
    Map<String, Double> smallestFirst = new LinkedHashMap<>();
    smallestFirst.put("dropout", 0.05);
    smallestFirst.put("width", 0.25);
    smallestFirst.put("momentum", 0.0);
    smallestFirst.put("lr", 0.70);
    smallestFirst.put("batch", 0.0);
    var r = new ParameterImportance.Result(ParameterImportance.Method.FANOVA, 12, smallestFirst);
    assertEquals(List.of("lr", "width", "dropout", "momentum", "batch"), List.copyOf(r.importance().keySet()),
        "largest first, ties in the given order");
    assertThrows(UnsupportedOperationException.class, () -> r.importance().put("x", 1.0));
  }
}
