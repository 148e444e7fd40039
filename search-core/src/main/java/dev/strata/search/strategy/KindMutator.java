package dev.strata.search.strategy;

import dev.strata.search.space.Dimension;
import io.jenetics.Chromosome;
import io.jenetics.DoubleGene;
import io.jenetics.Mutator;
import io.jenetics.MutatorResult;
import io.jenetics.util.ISeq;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Jenetics mutator aware of each gene's dimension ({@link Mutations}): gene {@code i} of the
 * single chromosome is dimension {@code i}. Jenetics applies the per-gene probability at the
 * chromosome level; this class only replaces how a selected gene changes. Shared by the genetic
 * strategies ({@link EvolutionStrategy}, {@link Nsga2Strategy}); immutable.
 *
 * @param <C> the fitness type (a loss, or a vector of losses)
 */
final class KindMutator<C extends Comparable<? super C>> extends Mutator<DoubleGene, C> {
  private final List<Dimension> dims;
  private final double sigma;

  KindMutator(List<Dimension> dims, double probability, double sigma) {
    super(probability);
    this.dims = dims;
    this.sigma = sigma;
  }

  @Override
  protected MutatorResult<Chromosome<DoubleGene>> mutate(Chromosome<DoubleGene> chromosome, double p,
      RandomGenerator random) {
    List<DoubleGene> genes = new ArrayList<>(chromosome.length());
    int mutations = 0;
    for (int i = 0; i < chromosome.length(); i++) {
      DoubleGene gene = chromosome.get(i);
      if (random.nextDouble() < p) {
        double u = Mutations.mutate(dims.get(i), gene.doubleValue(), sigma, random);
        gene = gene.newInstance(Math.min(u, Math.nextDown(1.0)));
        mutations++;
      }
      genes.add(gene);
    }
    return new MutatorResult<>(chromosome.newInstance(ISeq.of(genes)), mutations);
  }
}
