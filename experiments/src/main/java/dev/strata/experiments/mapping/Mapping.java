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
   * The trial is REJECTED with this one-line reason, naming the parameter: the configuration is
   * unknown or contradictory (an unknown activation, width 0, ...), a mistake {@code strata
   * validate} reports; or, when {@code inSpace}, a point the space rightly holds that makes no
   * network (a cell whose output no path reaches), which only that trial pays for.
   */
  record Rejected(String reason, boolean inSpace) implements Mapping {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    /** A mistake in the configuration. */
    public Rejected(String reason) {
      this(reason, false);
    }
  }
}
