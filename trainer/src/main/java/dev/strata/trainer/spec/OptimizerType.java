package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The optimizers, with their customary default hyperparameters (used when a {@link TrainingSpec}
 * leaves them unset). The update formulas are in the javadoc of the classes in
 * {@code dev.strata.trainer.optim}.
 */
public enum OptimizerType {
  SGD("sgd", 0.01, 0.9, 1e-8, 0),
  MOMENTUM("momentum", 0.01, 0.9, 1e-8, 1),
  NESTEROV("nesterov", 0.01, 0.9, 1e-8, 1),
  ADAGRAD("adagrad", 0.01, 0.9, 1e-10, 1),
  RMSPROP("rmsprop", 0.001, 0.9, 1e-8, 1),
  ADADELTA("adadelta", 1.0, 0.95, 1e-6, 2),
  ADAM("adam", 0.001, 0.9, 1e-8, 2),
  ADAMW("adamw", 0.001, 0.9, 1e-8, 2);

  private final String jsonName;
  private final double defaultLearningRate;
  private final double defaultRho;
  private final double defaultEps;
  private final int stateFloatsPerParameter;

  OptimizerType(String jsonName, double lr, double rho, double eps, int state) {
    this.jsonName = jsonName;
    this.defaultLearningRate = lr;
    this.defaultRho = rho;
    this.defaultEps = eps;
    this.stateFloatsPerParameter = state;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator
  public static OptimizerType of(String name) {
    return SpecNames.parse(OptimizerType.class, name, OptimizerType::jsonName, "optimizer");
  }

  /** sgd, momentum, nesterov, adagrad: 0.01; rmsprop, adam, adamw: 0.001; adadelta: 1.0. */
  public double defaultLearningRate() {
    return defaultLearningRate;
  }

  /** Decay rate of the squared-gradient averages: adadelta 0.95, the others 0.9. */
  public double defaultRho() {
    return defaultRho;
  }

  /** adagrad 1e-10, adadelta 1e-6, the others 1e-8. */
  public double defaultEps() {
    return defaultEps;
  }

  /** How many floats of state the optimizer keeps per parameter (for the memory estimate). */
  public int stateFloatsPerParameter() {
    return stateFloatsPerParameter;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
