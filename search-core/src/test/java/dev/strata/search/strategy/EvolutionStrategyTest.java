package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvolutionStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("evolution", space, direction, seed, Map.of("population", 8, "elitism", 2));
  }

  @Override
  String name() {
    return "evolution";
  }

  @Test
  void generationsAreTaggedAndOverflowBreedsTheNextOne() {
    Strategy s = create(BOX.space(), Direction.MINIMIZE, 1);
    List<Proposal> first = s.ask(8);
    first.forEach(p -> assertEquals("0", p.tags().get("generation")));
    for (Proposal p : first.subList(0, 6)) {
      s.tell(p.index(), Outcome.completed(BOX.evaluate(p.configuration())));
    }
    // two of generation 0 still running: the next ask breeds generation 1 from the six known
    List<Proposal> next = s.ask(6);
    next.forEach(p -> assertEquals("1", p.tags().get("generation")));
    Proposal overflow = s.ask(1).getFirst();
    assertEquals("2", overflow.tags().get("generation"), "generation 1 has population - elitism = 6 slots");
  }

  @Test
  void unknownOptionNamesTheAllowedOnes() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Strategies.create("evolution", BOX.space(), Direction.MINIMIZE, 1, Map.of("popsize", 10)));
    assertTrue(e.getMessage().contains("'popsize'") && e.getMessage().contains("population"), e.getMessage());
  }
}
