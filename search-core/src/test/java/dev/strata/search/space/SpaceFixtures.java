package dev.strata.search.space;

/** Space texts shared by the tests of this package. */
final class SpaceFixtures {

  private SpaceFixtures() {}

  /** The space of DESIGN.md, as an experiment file embeds it. */
  static final String DESIGN = """
      {
        "name": "digits-blocks",
        "objective": { "metric": "val_accuracy", "direction": "maximize" },
        "space": {
          "blocks": { "repeat": { "min": 1, "max": 6 }, "of": {
            "type":       { "choice": ["plain", "residual", "inception"] },
            "width":      { "choice": [32, 64, 128, 256] },
            "layers":     { "int": [1, 3] },
            "activation": { "choice": ["relu", "tanh", "sigmoid"] },
            "branches":   { "int": [2, 4], "when": { "type": "inception" } },
            "dropout":    { "float": [0.0, 0.5] } } },
          "optimizer":    { "choice": ["sgd", "momentum", "nesterov", "adagrad",
                                       "rmsprop", "adadelta", "adam"] },
          "learningRate": { "float": [1e-4, 1e-1], "log": true },
          "batchSize":    { "choice": [16, 32, 64, 128] },
          "init":         { "choice": ["he", "glorot", "gaussian", "uniform"] },
          "l2":           { "float": [1e-6, 1e-2], "log": true },
          "epochs": 30
        }
      }
      """;

  /**
   * A nested conditional space: inception blocks own a nested repeat group of branches, a
   * condition inside the branches refers to its sibling, one inside the blocks to a top-level
   * parameter, and top-level conditions use any-of lists.
   */
  static final String NESTED = """
      {
        "blocks": { "repeat": { "min": 1, "max": 4 }, "of": {
          "type":   { "choice": ["plain", "residual", "inception"] },
          "width":  { "choice": [32, 64, 128, 256] },
          "layers": { "int": [1, 3] },
          "branches": { "when": { "type": "inception" }, "repeat": { "min": 2, "max": 3 }, "of": {
              "kernel": { "choice": [1, 3, 5] },
              "width":  { "int": [8, 64], "log": true },
              "pool":   { "choice": [true, false], "when": { "kernel": 1 } } } },
          "dropout":  { "float": [0.0, 0.5], "step": 0.05 },
          "momentum": { "float": [0.1, 0.9], "when": { "optimizer": "momentum", "type": ["plain", "residual"] } },
          "tag": "block" } },
        "optimizer":    { "choice": ["sgd", "momentum", "adam"] },
        "beta":         { "float": [0.9, 0.999], "when": { "optimizer": "adam" } },
        "learningRate": { "float": [1e-4, 1e-1], "log": true },
        "batch":        { "int": [16, 256], "step": 16 },
        "epochs": 30
      }
      """;
}
