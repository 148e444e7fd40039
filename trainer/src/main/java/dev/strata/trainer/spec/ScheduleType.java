package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Learning-rate schedule shapes; see {@link ScheduleSpec} for the formulas. */
public enum ScheduleType {
  CONSTANT("constant"),
  STEP("step"),
  EXPONENTIAL("exponential"),
  COSINE("cosine");

  private final String jsonName;

  ScheduleType(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator
  public static ScheduleType of(String name) {
    return SpecNames.parse(ScheduleType.class, name, ScheduleType::jsonName, "schedule type");
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
