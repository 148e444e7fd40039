package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Regularized (aging) evolution, after Real et al., "Regularized Evolution for Image Classifier
 * Architecture Search" (AAAI 2019).
 *
 * <p>The population is a queue of the last {@code population} told trials, in tell order. The
 * first {@code population} proposals are uniformly random. Every later proposal samples {@code
 * sample} distinct members of the population, takes the one with the lowest loss as parent and
 * mutates one of the parent's active dimensions, chosen uniformly ({@link Mutations}: another
 * category, ±1 on small integer grids such as repeat counts, a Gaussian step of {@code sigma} in
 * unit space otherwise). When a trial is told it joins the queue and, past {@code population},
 * the oldest member dies, however good it was. Nothing waits for a generation, so any number of
 * trials may be in flight; while the queue is still empty, proposals stay random.
 *
 * <p>Options: {@code population} (default 20), {@code sample} (default 5, at most {@code
 * population}), {@code sigma} (default 0.15). Proposals carry the tag {@code parent} (the
 * parent's trial index) or {@code origin=random}. Not thread-safe.
 */
public final class RegularizedEvolutionStrategy extends AbstractStrategy {

  public static final String NAME = "regularized-evolution";

  private final int populationSize;
  private final int sampleSize;
  private final double sigma;
  private final Deque<Trial> population = new ArrayDeque<>();
  private Trial lastParent;

  public RegularizedEvolutionStrategy(SearchSpace space, Direction direction, long seed, int population,
      int sample, double sigma) {
    super(NAME, space, direction, seed);
    if (population < 2) {
      throw new IllegalArgumentException("regularized-evolution: population must be >= 2, got " + population);
    }
    if (sample < 1 || sample > population) {
      throw new IllegalArgumentException("regularized-evolution: sample must be in [1, population=" + population
          + "], got " + sample);
    }
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("regularized-evolution: sigma must be > 0, got " + sigma);
    }
    this.populationSize = population;
    this.sampleSize = sample;
    this.sigma = sigma;
  }

  static RegularizedEvolutionStrategy create(SearchSpace space, Direction direction, long seed,
      Map<String, Object> options) {
    Options o = Options.of(NAME, options, java.util.Set.of("population", "sample", "sigma"));
    int population = o.intValue("population", 20, 2, 100_000);
    int sample = o.intValue("sample", Math.min(5, population), 1, population);
    return new RegularizedEvolutionStrategy(space, direction, seed, population, sample,
        o.doubleValue("sigma", 0.15, 1e-6, 1.0));
  }

  @Override
  Candidate propose(int attempt) {
    if (trials.size() < populationSize || population.isEmpty()) {
      return new Candidate(uniform(), Map.of("origin", "random"));
    }
    Trial parent = attempt > 0 && lastParent != null ? lastParent : tournament();
    lastParent = parent;
    double[] child = parent.raw.clone();
    List<Integer> mutable = new ArrayList<>();
    for (int i = 0; i < dims.size(); i++) {
      boolean active = !Double.isNaN(parent.unit[i]);
      boolean variable = dims.get(i).cardinality() > 1 || dims.get(i).high() > dims.get(i).low();
      if (active && variable) {
        mutable.add(i);
      }
    }
    if (mutable.isEmpty()) {
      return new Candidate(uniform(), Map.of("origin", "random"));
    }
    int i = mutable.get(random.nextInt(mutable.size()));
    child[i] = Mutations.mutate(dims.get(i), child[i], sigma, random);
    return new Candidate(child, Map.of("parent", Integer.toString(parent.index)));
  }

  private Trial tournament() {
    List<Trial> members = new ArrayList<>(population);
    int k = Math.min(sampleSize, members.size());
    Trial best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    // partial Fisher-Yates: the first k of a random permutation
    for (int j = 0; j < k; j++) {
      int pick = j + random.nextInt(members.size() - j);
      Trial t = members.get(pick);
      members.set(pick, members.get(j));
      members.set(j, t);
      double loss = loss(t);
      if (best == null || loss < bestLoss) {
        best = t;
        bestLoss = loss;
      }
    }
    return best;
  }

  @Override
  void onTell(Trial trial) {
    population.addLast(trial);
    while (population.size() > populationSize) {
      population.removeFirst();
    }
  }
}
