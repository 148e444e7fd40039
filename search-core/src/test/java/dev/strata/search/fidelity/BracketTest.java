package dev.strata.search.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BracketTest {

  /** Li et al. 2018, Table 1: R = 81, η = 3. */
  @Test
  void hyperbandBracketsMatchThePublishedSchedule() {
    List<Bracket> brackets = HyperbandScheduler.brackets(Fidelity.of(1, 81, 3));
    assertEquals(5, brackets.size());
    assertEquals(List.of(4, 3, 2, 1, 0), brackets.stream().map(Bracket::s).toList());
    assertEquals(List.of(81, 27, 9, 3, 1), brackets.get(0).sizes());
    assertEquals(List.of(1.0, 3.0, 9.0, 27.0, 81.0), brackets.get(0).resources());
    assertEquals(List.of(34, 11, 3, 1), brackets.get(1).sizes());
    assertEquals(List.of(3.0, 9.0, 27.0, 81.0), brackets.get(1).resources());
    assertEquals(List.of(15, 5, 1), brackets.get(2).sizes());
    assertEquals(List.of(9.0, 27.0, 81.0), brackets.get(2).resources());
    assertEquals(List.of(8, 2), brackets.get(3).sizes());
    assertEquals(List.of(27.0, 81.0), brackets.get(3).resources());
    assertEquals(List.of(5), brackets.get(4).sizes());
    assertEquals(List.of(81.0), brackets.get(4).resources());
  }

  @Test
  void successiveHalvingBracket() {
    Bracket b = Bracket.successiveHalving(Fidelity.of(1, 81, 3), 81);
    assertEquals(List.of(81, 27, 9, 3, 1), b.sizes());
    assertEquals(List.of(1.0, 3.0, 9.0, 27.0, 81.0), b.resources());
    assertEquals(5 * 81.0, b.totalResource());
    Bracket small = Bracket.successiveHalving(Fidelity.of(1, 16, 2), 8);
    assertEquals(List.of(8, 4, 2, 1, 1), small.sizes());
    assertEquals(List.of(1.0, 2.0, 4.0, 8.0, 16.0), small.resources());
  }
}
