package dev.strata.search.prescreen;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link CandidateScorer} found about one candidate. Immutable.
 *
 * @param score the ranking score, higher is better; NaN when it could not be computed (ranks below
 *     every number, as does negative infinity)
 * @param scores every score computed, by name (e.g. {@code naswot}, {@code synflow}), stored as
 *     {@code proxy.NAME} tags on the trial that is trained; may be empty
 * @param trainable false when the candidate is predicted not to train at all
 * @param reason why it is not trainable (empty when trainable), e.g. {@code ordered phase (χ₁ =
 *     0.62): signal dies after about 9 layers, 40 layers deep}
 * @param cost the predicted cost of training it, in any unit shared by the candidates of a search
 *     (lower is cheaper; NaN when unknown, ranked as the dearest): what a shortlist picks by
 */
public record Screening(double score, Map<String, Double> scores, boolean trainable, String reason, double cost) {

  /** A screening without a predicted cost. */
  public Screening(double score, Map<String, Double> scores, boolean trainable, String reason) {
    this(score, scores, trainable, reason, Double.NaN);
  }

  public Screening {
    scores = scores == null ? Map.of() : new TreeMap<>(scores);
    reason = reason == null ? "" : reason;
    Objects.requireNonNull(scores, "scores");
  }

  /** A trainable candidate with this score and no other scores. */
  public static Screening of(double score) {
    return new Screening(score, Map.of(), true, "");
  }

  /** A candidate predicted not to train, for {@code reason}. */
  public static Screening untrainable(double score, String reason) {
    return new Screening(score, Map.of(), false, reason);
  }

  /** This screening with the predicted training cost {@code c}. */
  public Screening withCost(double c) {
    return new Screening(score, scores, trainable, reason, c);
  }

  @Override
  public Map<String, Double> scores() {
    return java.util.Collections.unmodifiableMap(scores);
  }
}
