package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegularizedEvolutionStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("regularized-evolution", space, direction, seed, Map.of("population", 8, "sample", 3));
  }

  @Override
  String name() {
    return "regularized-evolution";
  }

  @Test
  void childrenDifferFromTheirParentInExactlyOneParameter() {
    Strategy s = create(BOX.space(), Direction.MINIMIZE, 3);
    List<Proposal> all = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Proposal p = s.ask(1).getFirst();
      all.add(p);
      s.tell(p.index(), Outcome.completed(BOX.evaluate(p.configuration())));
    }
    for (Proposal child : all.subList(8, 20)) {
      int parentIndex = Integer.parseInt(child.tags().get("parent"));
      Configuration parent = all.get(parentIndex).configuration();
      long changed = parent.values().keySet().stream()
          .filter(k -> !parent.get(k).equals(child.configuration().get(k))).count();
      assertEquals(1, changed, () -> parent + " -> " + child.configuration());
    }
    assertTrue(all.getFirst().tags().containsKey("origin"));
  }
}
