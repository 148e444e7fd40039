package dev.strata.search.fidelity;

import dev.strata.search.strategy.Proposal;
import dev.strata.search.trial.Configuration;
import java.util.Objects;

/**
 * A unit of work a {@link Scheduler} hands to its runner: train a configuration up to a resource.
 *
 * <p>Either a {@link Start} (a new configuration from the wrapped strategy, trained from scratch
 * to {@link #resource()}) or a {@link Promote} (an existing trial continued from its checkpoint at
 * {@link Promote#fromResource()} to {@link #resource()}; a runner without checkpoints retrains from
 * scratch, which costs more but gives the same answer). Immutable.
 */
public sealed interface Job {

  /** The trial index: the wrapped strategy's proposal index of the configuration. */
  int trialIndex();

  Configuration configuration();

  /** The resource to train up to (the total, not the increment). */
  double resource();

  /** The rung the job ends at (0 = the lowest resource of its bracket). */
  int rung();

  /** Extra resource this job costs when continued from a checkpoint. */
  double cost();

  static Start start(Proposal proposal, double resource, int rung) {
    return new Start(proposal, resource, rung);
  }

  static Promote promote(int trialIndex, Configuration configuration, double fromResource,
      double toResource, int rung) {
    return new Promote(trialIndex, configuration, fromResource, toResource, rung);
  }

  /** Run a new configuration from scratch to {@code resource}. */
  record Start(Proposal proposal, double resource, int rung) implements Job {
    public Start {
      Objects.requireNonNull(proposal, "proposal");
      if (!(resource > 0)) {
        throw new IllegalArgumentException("resource must be > 0, got " + resource);
      }
    }

    @Override
    public int trialIndex() {
      return proposal.index();
    }

    @Override
    public Configuration configuration() {
      return proposal.configuration();
    }

    @Override
    public double cost() {
      return resource;
    }
  }

  /** Continue trial {@code trialIndex} from {@code fromResource} to {@code toResource}. */
  record Promote(int trialIndex, Configuration configuration, double fromResource,
      double toResource, int rung) implements Job {
    public Promote {
      Objects.requireNonNull(configuration, "configuration");
      if (!(toResource > fromResource) || !(fromResource > 0)) {
        throw new IllegalArgumentException(
            "a promotion needs 0 < from < to, got from " + fromResource + " to " + toResource);
      }
    }

    @Override
    public double resource() {
      return toResource;
    }

    @Override
    public double cost() {
      return toResource - fromResource;
    }
  }
}
