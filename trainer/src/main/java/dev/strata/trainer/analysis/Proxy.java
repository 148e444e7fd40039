package dev.strata.trainer.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * The zero-cost proxies of {@link Proxies}, by their experiment-file names, so that a caller can
 * ask {@link InitAnalysis#score} for only the ones it needs. Each needs different work:
 * {@link #SYNFLOW} one all-ones row (no data), {@link #NASWOT} a forward pass over the batch,
 * {@link #GRAD_NORM} and {@link #SNIP} a forward and backward pass over the batch.
 */
public enum Proxy {
  NASWOT("naswot"),
  SYNFLOW("synflow"),
  SNIP("snip"),
  GRAD_NORM("grad_norm");

  private final String jsonName;

  Proxy(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name in experiment files and trial tags, e.g. {@code grad_norm}. */
  public String jsonName() {
    return jsonName;
  }

  /** The names of all proxies, in declaration order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Proxy::jsonName).toList();
  }

  /** The proxy named {@code name} ({@link #jsonName()}). */
  public static Proxy of(String name) {
    for (Proxy p : values()) {
      if (p.jsonName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown proxy '" + name + "'; use one of " + names());
  }

  /** This proxy's value in {@code p}. */
  public double of(Proxies p) {
    return switch (this) {
      case NASWOT -> p.naswot();
      case SYNFLOW -> p.synflow();
      case SNIP -> p.snip();
      case GRAD_NORM -> p.gradNorm();
    };
  }
}
