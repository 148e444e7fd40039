package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import io.jenetics.Alterer;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.Optimize;
import io.jenetics.Phenotype;
import io.jenetics.SinglePointCrossover;
import io.jenetics.TournamentSelector;
import io.jenetics.UniformCrossover;
import io.jenetics.util.ISeq;
import io.jenetics.util.RandomRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generational genetic algorithm built from Jenetics operators, speaking ask/tell.
 *
 * <p><b>Genotype.</b> One {@link DoubleChromosome} with one gene per flat dimension of the space
 * (repeat slots and the {@code #count} dimensions included), each gene the dimension's unit
 * coordinate in [0, 1]. The dimension's kind types the gene: mutation ({@link Mutations}) draws
 * another category for a categorical gene, steps ±1 on small integer grids such as a block count,
 * and adds Gaussian noise ({@code sigma}) to a float. Genes of inactive dimensions are kept
 * (latent), so a block switched off and on again keeps its settings.
 *
 * <p><b>One generation.</b> Generation 0 is {@code population} uniform random vectors. Generation
 * {@code g + 1} is bred, when its first proposal is needed, from the population of generation
 * {@code g}: its {@code elitism} carried-over elites plus its own members told so far (fitness =
 * loss, failures imputed as bad). Jenetics' {@link TournamentSelector} ({@code tournament}) picks
 * {@code population − elitism} parents; {@link UniformCrossover} or {@link SinglePointCrossover}
 * ({@code crossover}, probability {@code crossoverRate}) and the kind-aware mutator (per-gene
 * probability {@code mutationRate}) alter them; the best {@code elitism} members are carried into
 * the new population without being evaluated again. Jenetics' randomness is this strategy's
 * seeded generator, installed with {@link RandomRegistry#with} only for the duration of each
 * step, so the global registry is never used.
 *
 * <p><b>Parallel workers.</b> As in every {@link GenerationalStrategy}: nothing blocks; asked for
 * more proposals than the current generation has left, the next one is bred at once from what is
 * known.
 *
 * <p>Options: {@code population} (20), {@code elitism} (2), {@code tournament} (3), {@code
 * crossover} ({@code "uniform"} or {@code "single-point"}, default uniform), {@code crossoverRate}
 * (0.7), {@code mutationRate} (default {@code max(0.05, 1/d)} for {@code d} dimensions), {@code
 * sigma} (0.1). Not thread-safe.
 */
public final class EvolutionStrategy extends GenerationalStrategy {

  public static final String NAME = "evolution";

  private final int elitism;
  private final TournamentSelector<DoubleGene, Double> selector;
  private final Alterer<DoubleGene, Double> alterer;

  public EvolutionStrategy(SearchSpace space, Direction direction, long seed, int population, int elitism,
      int tournament, String crossover, double crossoverRate, double mutationRate, double sigma) {
    super(NAME, space, direction, seed, population, sigma);
    if (elitism < 0 || elitism >= population) {
      throw new IllegalArgumentException("evolution: elitism must be in [0, population), got " + elitism);
    }
    if (tournament < 1) {
      throw new IllegalArgumentException("evolution: tournament must be >= 1, got " + tournament);
    }
    this.elitism = elitism;
    this.selector = new TournamentSelector<>(tournament);
    Alterer<DoubleGene, Double> cross = switch (crossover) {
      case "uniform" -> new UniformCrossover<>(crossoverRate, 0.5);
      case "single-point" -> new SinglePointCrossover<>(crossoverRate);
      default -> throw new IllegalArgumentException("evolution: crossover must be uniform or single-point, got "
          + crossover);
    };
    this.alterer = Alterer.of(cross, new KindMutator<>(dims, mutationRate, sigma));
  }

  static EvolutionStrategy create(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
    Options o = Options.of(NAME, options, Set.of("population", "elitism", "tournament", "crossover",
        "crossoverRate", "mutationRate", "sigma"));
    int population = o.intValue("population", 20, 2, 100_000);
    int d = Math.max(1, space.dimensions().size());
    return new EvolutionStrategy(space, direction, seed, population,
        o.intValue("elitism", Math.min(2, population - 1), 0, population - 1),
        o.intValue("tournament", 3, 1, population),
        o.choice("crossover", "uniform", List.of("uniform", "single-point")),
        o.doubleValue("crossoverRate", 0.7, 0, 1),
        o.doubleValue("mutationRate", Math.min(1.0, Math.max(0.05, 1.0 / d)), 0, 1),
        o.doubleValue("sigma", 0.1, 1e-6, 1));
  }

  @Override
  Brood breed(List<Trial> pool) {
    // rank the pool once: loss, then trial index for a stable order
    List<Trial> ranked = new ArrayList<>(pool);
    ranked.sort(Comparator.comparingDouble(this::loss).thenComparingInt(t -> t.index));
    List<Trial> elites = ranked.subList(0, Math.min(elitism, ranked.size()));

    ISeq<Phenotype<DoubleGene, Double>> population = ranked.stream()
        .map(t -> Phenotype.<DoubleGene, Double>of(genotype(t.raw), generation - 1, loss(t)))
        .collect(ISeq.toISeq());
    int count = populationSize - elites.size();
    long g = generation;
    ISeq<Phenotype<DoubleGene, Double>> children = RandomRegistry.with(random, r -> {
      ISeq<Phenotype<DoubleGene, Double>> parents = selector.select(population, count, Optimize.MINIMUM);
      return alterer.alter(parents, g).population();
    });
    return new Brood(elites, unitVectors(children));
  }
}
