package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-class weights of a classifier's training loss, for imbalanced data. Immutable.
 *
 * <p>The weighted batch loss is {@code sum_i w[y_i] l_i / sum_i w[y_i]} (the weighted mean, as in
 * PyTorch's {@code CrossEntropyLoss(weight=...)}), and its gradient is that of the weighted mean.
 * Weights act on the training loss only: validation and test losses and metrics are the plain
 * means, so they stay comparable between weighted and unweighted runs.
 *
 * <p>In JSON ({@code "training": {"classWeights": ...}}): {@code "balanced"}, resolved by the
 * trainer from the training part as {@code w_k = n / (K n_k)} (scikit-learn's {@code
 * class_weight="balanced"}; a class with no training rows gets 1), or an array with one weight
 * {@code >= 0} per class in class-index order (at least one {@code > 0}).
 *
 * @param balanced weights from the training part's class counts ({@code weights} empty)
 * @param weights explicit weights by class index (empty when {@code balanced})
 */
public record ClassWeights(boolean balanced, List<Double> weights) {

  public ClassWeights {
    weights = List.copyOf(weights);
    if (balanced != weights.isEmpty()) {
      throw SpecException.at("", "give either \"balanced\" or one weight per class, e.g. [1, 3]");
    }
    boolean positive = false;
    for (int i = 0; i < weights.size(); i++) {
      double w = weights.get(i);
      if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
        throw SpecException.at("/" + i, "must be a finite number >= 0, got " + w + "; e.g. 1 or 3.5");
      }
      positive |= w > 0;
    }
    if (!balanced && !positive) {
      throw SpecException.at("", "every weight is 0, so nothing would be learned; give at least one weight > 0");
    }
  }

  /** Weights from the training part's class counts. */
  public static ClassWeights balancedWeights() {
    return new ClassWeights(true, List.of());
  }

  /** Explicit weights by class index. */
  public static ClassWeights of(double... weights) {
    List<Double> list = new ArrayList<>();
    for (double w : weights) {
      list.add(w);
    }
    return new ClassWeights(false, list);
  }

  /** The weights for a training part with these class counts: explicit ones as given, balanced ones computed. */
  public double[] resolve(int[] classCounts) {
    double[] w = new double[classCounts.length];
    if (!balanced) {
      if (weights.size() != classCounts.length) {
        throw SpecException.at("/training/classWeights", "has " + weights.size() + " weights but the data has "
            + classCounts.length + " classes; give one weight per class, in class order");
      }
      for (int k = 0; k < w.length; k++) {
        w[k] = weights.get(k);
      }
      return w;
    }
    long n = 0;
    for (int c : classCounts) {
      n += c;
    }
    for (int k = 0; k < w.length; k++) {
      w[k] = classCounts[k] == 0 ? 1.0 : (double) n / ((long) w.length * classCounts[k]);
    }
    return w;
  }

  @JsonValue
  Object json() {
    return balanced ? "balanced" : weights;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ClassWeights fromJson(JsonNode node) {
    if (node.isTextual()) {
      if (node.asText().equals("balanced")) {
        return balancedWeights();
      }
      throw SpecException.at("", "unknown class weighting '" + node.asText()
          + "'; use \"balanced\" or one weight per class, e.g. [1, 3]");
    }
    if (node.isArray() && !node.isEmpty()) {
      List<Double> list = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        if (!node.get(i).isNumber()) {
          throw SpecException.at("/" + i, "expected a number, got " + node.get(i) + "; e.g. [1, 3]");
        }
        list.add(node.get(i).asDouble());
      }
      return new ClassWeights(false, list);
    }
    throw SpecException.at("", "expected \"balanced\" or a list of one weight per class, e.g. [1, 3], got " + node);
  }
}
