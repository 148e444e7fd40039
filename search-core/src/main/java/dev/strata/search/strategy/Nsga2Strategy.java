package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import io.jenetics.Alterer;
import io.jenetics.DoubleGene;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.UniformCrossover;
import io.jenetics.ext.moea.NSGA2Selector;
import io.jenetics.ext.moea.Pareto;
import io.jenetics.ext.moea.Vec;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NSGA-II (Deb et al. 2002) on Jenetics' multi-objective support ({@code io.jenetics.ext.moea}),
 * speaking ask/tell: the search for the Pareto front of several goals ({@link
 * dev.strata.search.trial.Objectives}). With one goal it is an elitist genetic algorithm.
 *
 * <p><b>Fitness.</b> A trial's fitness is the Jenetics {@link Vec} of its negated per-goal losses
 * ({@link AbstractStrategy#losses}), maximised. Failed trials are imputed as worse than every
 * observed value in every goal, and infeasible ones (constraints broken) worse still by their
 * violation, so every feasible trial dominates every infeasible one and infeasible trials
 * dominate each other by violation: Deb's constrained domination.
 *
 * <p><b>One generation.</b> Generation 0 is {@code population} uniform random vectors (genotype
 * and kind-aware mutation as in {@link EvolutionStrategy}). Generation {@code g + 1} is opened
 * when its first proposal is needed: the pool is generation {@code g}'s survivors plus its
 * offspring told so far; Jenetics' {@link NSGA2Selector} keeps the best {@code population} of the
 * pool by non-dominated rank, then crowding distance (environmental selection, μ + λ); parents are
 * drawn from the survivors by binary tournaments on the same crowded comparison (ranks and
 * distances from Jenetics' {@link Pareto#rank} and {@link Pareto#crowdingDistance}), and {@link
 * UniformCrossover} ({@code crossoverRate}) and the kind-aware mutator ({@code mutationRate},
 * {@code sigma}) breed {@code population} offspring. Jenetics' randomness is this strategy's seeded
 * generator, installed only for each step.
 *
 * <p><b>Parallel workers.</b> As in every {@link GenerationalStrategy}: nothing blocks; asked for
 * more than the current generation has left, the next one is opened from what is known.
 *
 * <p>Options: {@code population} (20), {@code crossoverRate} (0.9), {@code mutationRate} (default
 * {@code max(0.05, 1/d)} for {@code d} dimensions), {@code sigma} (0.1). Not thread-safe.
 */
public final class Nsga2Strategy extends GenerationalStrategy {

  public static final String NAME = "nsga2";

  private final Alterer<DoubleGene, Vec<double[]>> alterer;
  private final NSGA2Selector<DoubleGene, Vec<double[]>> survivorSelector = NSGA2Selector.ofVec();

  public Nsga2Strategy(SearchSpace space, Direction direction, long seed, int population, double crossoverRate,
      double mutationRate, double sigma) {
    super(NAME, space, direction, seed, population, sigma);
    this.alterer = Alterer.<DoubleGene, Vec<double[]>>of(
        new UniformCrossover<DoubleGene, Vec<double[]>>(crossoverRate, 0.5),
        new KindMutator<Vec<double[]>>(dims, mutationRate, sigma));
  }

  static Nsga2Strategy create(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
    Options o = Options.of(NAME, options, Set.of("population", "crossoverRate", "mutationRate", "sigma"));
    int d = Math.max(1, space.dimensions().size());
    return new Nsga2Strategy(space, direction, seed,
        o.intValue("population", 20, 2, 100_000),
        o.doubleValue("crossoverRate", 0.9, 0, 1),
        o.doubleValue("mutationRate", Math.min(1.0, Math.max(0.05, 1.0 / d)), 0, 1),
        o.doubleValue("sigma", 0.1, 1e-6, 1));
  }

  /** Environmental selection of the survivors, then binary tournaments and alteration. */
  @Override
  Brood breed(List<Trial> pool) {
    Map<Phenotype<DoubleGene, Vec<double[]>>, Trial> trialOf = new IdentityHashMap<>();
    List<Phenotype<DoubleGene, Vec<double[]>>> phenotypes = new ArrayList<>(pool.size());
    for (Trial t : pool) {
      Phenotype<DoubleGene, Vec<double[]>> p = Phenotype.of(genotype(t.raw), generation - 1L,
          fitness(t));
      trialOf.put(p, t);
      phenotypes.add(p);
    }
    long g = generation;
    ISeq<Phenotype<DoubleGene, Vec<double[]>>> population = ISeq.of(phenotypes);
    ISeq<Phenotype<DoubleGene, Vec<double[]>>> kept = RandomRegistry.with(random, r ->
        survivorSelector.select(population, Math.min(populationSize, population.size()), Optimize.MAXIMUM));
    List<Trial> next = new ArrayList<>(kept.size());
    for (Phenotype<DoubleGene, Vec<double[]>> p : kept) {
      next.add(trialOf.get(p));
    }

    ISeq<Vec<double[]>> fitness = kept.map(Phenotype::fitness);
    int[] rank = Pareto.rank(fitness);
    double[] crowding = Pareto.crowdingDistance(fitness);
    List<Phenotype<DoubleGene, Vec<double[]>>> parents = new ArrayList<>(populationSize);
    for (int i = 0; i < populationSize; i++) {
      int a = random.nextInt(kept.size());
      int b = random.nextInt(kept.size());
      boolean aWins = rank[a] < rank[b] || (rank[a] == rank[b] && crowding[a] >= crowding[b]);
      parents.add(kept.get(aWins ? a : b));
    }
    ISeq<Phenotype<DoubleGene, Vec<double[]>>> children = RandomRegistry.with(random, r ->
        alterer.alter(ISeq.of(parents), g).population());
    return new Brood(next, unitVectors(children));
  }

  /** The negated losses as a Jenetics vector (maximised). */
  private Vec<double[]> fitness(Trial t) {
    double[] losses = losses(t);
    double[] v = new double[losses.length];
    for (int k = 0; k < v.length; k++) {
      v[k] = -losses[k];
    }
    return Vec.of(v);
  }
}
