package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import io.jenetics.DoubleChromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Genotype;
import io.jenetics.Phenotype;
import io.jenetics.util.ISeq;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The ask/tell life of a generational genetic algorithm, shared by {@link EvolutionStrategy} and
 * {@link Nsga2Strategy}, which differ only in how a generation is bred ({@link #breed}).
 *
 * <p>Generation 0 is {@code population} uniform random vectors. Generation {@code g + 1} is opened
 * when its first proposal is needed, from a pool of the trials carried over from generation
 * {@code g} plus its members told so far. Every proposal is tagged with its {@code generation}.
 * Nothing blocks: members told after their generation closed still count as observations but not
 * as parents. With fewer than two trials in the pool a generation is drawn at random like
 * generation 0. An offspring that would repeat an earlier configuration is mutated once more.
 */
abstract class GenerationalStrategy extends AbstractStrategy {

  /** What breeding a generation gives: the told trials carried into it, and its offspring. */
  record Brood(List<Trial> carried, List<double[]> offspring) {
    Brood {
      carried = List.copyOf(carried);
      offspring = List.copyOf(offspring);
    }
  }

  final int populationSize;
  private final double sigma;

  /** The generation being proposed; -1 before the first. */
  int generation = -1;
  private final Deque<double[]> offspring = new ArrayDeque<>();
  /** Told trials carried into the current generation. */
  private List<Trial> carried = List.of();
  /** Trials proposed in the current generation. */
  private final List<Trial> members = new ArrayList<>();
  private double[] lastCandidate;

  GenerationalStrategy(String name, SearchSpace space, Direction direction, long seed, int population,
      double sigma) {
    super(name, space, direction, seed);
    if (population < 2) {
      throw new IllegalArgumentException(name + ": population must be >= 2, got " + population);
    }
    this.populationSize = population;
    this.sigma = sigma;
  }

  /** Breeds the next generation from a pool of at least two told trials. */
  abstract Brood breed(List<Trial> pool);

  @Override
  final Candidate propose(int attempt) {
    if (attempt > 0 && lastCandidate != null && !dims.isEmpty()) {
      double[] again = lastCandidate.clone();
      int i = random.nextInt(dims.size());
      again[i] = Mutations.mutate(dims.get(i), again[i], sigma, random);
      lastCandidate = again;
      return new Candidate(again, tags());
    }
    if (offspring.isEmpty()) {
      openNextGeneration();
    }
    lastCandidate = offspring.removeFirst();
    return new Candidate(lastCandidate.clone(), tags());
  }

  private Map<String, String> tags() {
    return Map.of("generation", Integer.toString(generation));
  }

  @Override
  final void accepted(Trial trial, Candidate candidate) {
    members.add(trial);
  }

  private void openNextGeneration() {
    List<Trial> pool = new ArrayList<>(carried);
    for (Trial t : members) {
      if (t.isTold()) {
        pool.add(t);
      }
    }
    generation++;
    members.clear();
    if (generation == 0 || pool.size() < 2 || dims.isEmpty()) {
      carried = List.of();
      for (int i = 0; i < populationSize; i++) {
        offspring.addLast(uniform());
      }
      return;
    }
    Brood brood = breed(pool);
    carried = brood.carried();
    offspring.addAll(brood.offspring());
  }

  /** A trial's unit vector as one Jenetics chromosome, a gene per flat dimension. */
  static Genotype<DoubleGene> genotype(double[] unit) {
    DoubleGene[] genes = new DoubleGene[unit.length];
    for (int i = 0; i < unit.length; i++) {
      genes[i] = DoubleGene.of(Math.clamp(unit[i], 0.0, Math.nextDown(1.0)), 0.0, 1.0);
    }
    return Genotype.of(DoubleChromosome.of(genes));
  }

  /** The unit vectors of bred phenotypes. */
  static <C extends Comparable<? super C>> List<double[]> unitVectors(ISeq<Phenotype<DoubleGene, C>> children) {
    List<double[]> vectors = new ArrayList<>(children.size());
    for (Phenotype<DoubleGene, C> child : children) {
      vectors.add(((DoubleChromosome) child.genotype().chromosome()).toArray());
    }
    return vectors;
  }
}
