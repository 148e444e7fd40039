package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * An operation on one edge of a {@link CellBlock}, as in NAS-Bench-201 and DARTS. Every op keeps the
 * shape (stride 1, 'same' padding). The convolutions are ReLU-conv-BN, in the benchmarks' order;
 * {@code sep_conv_3x3} is a depthwise 3x3 then a pointwise 1x1, {@code dil_conv_3x3} the same with
 * dilation 2. NAS-Bench-201's own names {@code nor_conv_1x1} and {@code nor_conv_3x3} are accepted.
 */
public enum CellOpType {
  NONE("none"),
  SKIP_CONNECT("skip_connect"),
  CONV_1X1("conv_1x1"),
  CONV_3X3("conv_3x3"),
  SEP_CONV_3X3("sep_conv_3x3"),
  DIL_CONV_3X3("dil_conv_3x3"),
  AVG_POOL_3X3("avg_pool_3x3"),
  MAX_POOL_3X3("max_pool_3x3");

  private final String jsonName;

  CellOpType(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator
  public static CellOpType of(String name) {
    String n = name == null ? null : name.toLowerCase(Locale.ROOT);
    if ("nor_conv_1x1".equals(n)) {
      return CONV_1X1;
    }
    if ("nor_conv_3x3".equals(n)) {
      return CONV_3X3;
    }
    return SpecNames.parse(CellOpType.class, name, CellOpType::jsonName, "cell operation");
  }

  /** The name NAS-Bench-201 gives this op, or null when it has none there. */
  public String nasBench201Name() {
    return switch (this) {
      case NONE -> "none";
      case SKIP_CONNECT -> "skip_connect";
      case CONV_1X1 -> "nor_conv_1x1";
      case CONV_3X3 -> "nor_conv_3x3";
      case AVG_POOL_3X3 -> "avg_pool_3x3";
      case SEP_CONV_3X3, DIL_CONV_3X3, MAX_POOL_3X3 -> null;
    };
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
