package dev.strata.experiments.mapping;

import dev.strata.trainer.spec.NetworkSpec;
import java.util.Objects;

/** What {@link NetworkMapper#map} made of a configuration: a network, or a rejection with a reason. */
public sealed interface Mapping {

  /** The configuration maps to this network. */
  record Network(NetworkSpec spec) implements Mapping {
    public Network {
      Objects.requireNonNull(spec, "spec");
    }
  }

  /**
   * The configuration is unknown or contradictory (an unknown activation, width 0, ...): the trial
   * is REJECTED with this one-line reason, naming the parameter.
   */
  record Rejected(String reason) implements Mapping {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
