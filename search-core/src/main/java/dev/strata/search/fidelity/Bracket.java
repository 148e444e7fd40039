package dev.strata.search.fidelity;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan of one successive-halving bracket: rung i runs {@code sizes[i]} configurations to
 * {@code resources[i]}; the best {@code sizes[i+1]} of them go on to the next rung.
 *
 * <p>Hyperband bracket {@code s} (Li et al. 2018, Algorithm 1), with s_max from {@link
 * Fidelity#maxRung()}:
 *
 * <pre>
 *   n   = ⌈ (s_max + 1) / (s + 1) · η^s ⌉,   r = R · η^(−s)
 *   n_i = ⌊ n · η^(−i) ⌋,   r_i = r · η^i,   i = 0 .. s
 * </pre>
 *
 * <p>Immutable.
 *
 * @param s the bracket's number of halvings (its rung count is s + 1)
 * @param sizes configurations per rung, non-increasing, each &ge; 1
 * @param resources resource per rung, increasing, the last one R
 */
public record Bracket(int s, List<Integer> sizes, List<Double> resources) {

  public Bracket {
    sizes = List.copyOf(sizes);
    resources = List.copyOf(resources);
    if (sizes.isEmpty() || sizes.size() != resources.size()) {
      throw new IllegalArgumentException(
          "a bracket needs as many sizes as resources, got " + sizes + " and " + resources);
    }
    for (int i = 0; i < sizes.size(); i++) {
      if (sizes.get(i) < 1 || (i > 0 && sizes.get(i) > sizes.get(i - 1))) {
        throw new IllegalArgumentException("bracket sizes must be non-increasing and >= 1: " + sizes);
      }
      if (i > 0 && !(resources.get(i) > resources.get(i - 1))) {
        throw new IllegalArgumentException("bracket resources must increase: " + resources);
      }
    }
  }

  /** Hyperband bracket {@code s} for a fidelity (see the class comment). */
  public static Bracket hyperband(Fidelity fidelity, int s) {
    int sMax = fidelity.maxRung();
    if (s < 0 || s > sMax) {
      throw new IllegalArgumentException("bracket s must be in [0, " + sMax + "], got " + s);
    }
    double eta = fidelity.eta();
    int n = (int) Math.ceil((sMax + 1) / (double) (s + 1) * Math.pow(eta, s) - 1e-9);
    List<Integer> sizes = new ArrayList<>();
    List<Double> resources = new ArrayList<>();
    for (int i = 0; i <= s; i++) {
      sizes.add(Math.max(1, (int) Math.floor(n * Math.pow(eta, -i) + 1e-9)));
      resources.add(fidelity.resourceAt(i - s));
    }
    return new Bracket(s, sizes, resources);
  }

  /**
   * A successive-halving bracket over all rungs of a fidelity, starting {@code n} configurations:
   * {@code n_i = max(1, ⌊n · η^(−i)⌋)} at {@code r_i = R · η^(i − s_max)}.
   */
  public static Bracket successiveHalving(Fidelity fidelity, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a bracket needs n >= 1 configurations, got " + n);
    }
    int sMax = fidelity.maxRung();
    List<Integer> sizes = new ArrayList<>();
    List<Double> resources = new ArrayList<>();
    for (int i = 0; i <= sMax; i++) {
      sizes.add(Math.max(1, (int) Math.floor(n * Math.pow(fidelity.eta(), -i) + 1e-9)));
      resources.add(fidelity.resourceAt(i - sMax));
    }
    return new Bracket(sMax, sizes, resources);
  }

  /** Total resource of the bracket when every job starts from scratch. */
  public double totalResource() {
    double total = 0;
    for (int i = 0; i < sizes.size(); i++) {
      total += sizes.get(i) * resources.get(i);
    }
    return total;
  }
}
