package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Pooling: {@code max}, {@code avg} (padding not counted) or {@code global} (average of each whole channel). */
public enum PoolMode {
  MAX("max"),
  AVG("avg"),
  GLOBAL("global");

  private final String jsonName;

  PoolMode(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator
  public static PoolMode of(String name) {
    return SpecNames.parse(PoolMode.class, name, PoolMode::jsonName, "pool mode");
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
