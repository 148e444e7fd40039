package dev.strata.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {

  @Test
  void swapOfNeighboursIsOneEdit() {
    assertEquals(1, DidYouMean.distance("cvs", "csv"));
    assertEquals(3, DidYouMean.distance("kitten", "sitting"));
    assertEquals(0, DidYouMean.distance("", ""));
  }

  @Test
  void suggestsTheClosestWithinTheBudget() {
    assertEquals("maximize", DidYouMean.closestOrNull("maximise", List.of("minimize", "maximize")));
    assertEquals("csv", DidYouMean.closestOrNull("CVS", List.of("arff", "csv", "idx")));
    assertEquals("; did you mean 'strategies'?", DidYouMean.suggest("stratgies", List.of("budget", "strategies")));
  }

  @Test
  void farWordsGetNoSuggestion() {
    assertNull(DidYouMean.closestOrNull("xyz", List.of("csv", "arff")));
    assertEquals("", DidYouMean.suggest("ab", List.of("cd")));
    assertNull(DidYouMean.closestOrNull("anything", List.of()));
  }
}
