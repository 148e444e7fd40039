package dev.strata.trainer.train;

import dev.strata.trainer.data.DataRecipe;
import dev.strata.trainer.data.InputSchema;
import dev.strata.trainer.data.Preprocessor;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.NetworkSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A trained network with its spec and provenance and, once {@link #withData attached}, the data
 * side of the model: the input schema, the fitted preprocessing and the recipe of its training
 * data. Predicts, saves, loads; a model file that has all of it stands alone ({@code
 * docs/model-format.md}).
 *
 * <p>Java API for new data:
 *
 * <pre>{@code
 * TrainedNetwork model = TrainedNetwork.load(Path.of("model.strata"));
 * Predictions p = model.predict("csv:heldout.csv");      // raw file in, preprocessing applied
 * String first = p.predictedName(0);                     // class name of row 0
 * Map<String, Double> m = p.metrics();                   // when the file has the label column
 * }</pre>
 *
 * Prediction is serialised on the network, so one instance (and the copies {@link #withData} makes)
 * can serve several threads, one at a time; everything else reads immutable data or returns copies.
 */
public final class TrainedNetwork {

  private final Network network;
  private final Provenance provenance;
  private final InputSchema schema;
  private final Preprocessor preprocessor;
  private final DataRecipe recipe;

  TrainedNetwork(Network network, Provenance provenance) {
    this(network, provenance, null, null, null);
  }

  TrainedNetwork(Network network, Provenance provenance, InputSchema schema, Preprocessor preprocessor, DataRecipe recipe) {
    this.network = Objects.requireNonNull(network, "network");
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.schema = schema;
    this.preprocessor = preprocessor == null ? Preprocessor.identity(network.inputs()) : preprocessor;
    this.recipe = recipe;
    if (this.preprocessor.outputs() != network.inputs()) {
      throw new IllegalArgumentException("the preprocessing produces " + this.preprocessor.outputs()
          + " features, the network takes " + network.inputs());
    }
    if (schema != null && schema.features() != this.preprocessor.inputs()) {
      throw new IllegalArgumentException("the input schema has " + schema.features() + " features, the preprocessing takes "
          + this.preprocessor.inputs());
    }
  }

  /**
   * This network with the data side of the model attached: what it takes as input, the
   * preprocessing fitted on its training part, and how that data was made. The network is shared
   * (not copied).
   *
   * @param recipe may be null when the data cannot be made again from a source
   */
  public TrainedNetwork withData(InputSchema schema, Preprocessor preprocessor, DataRecipe recipe) {
    return new TrainedNetwork(network, provenance, Objects.requireNonNull(schema, "schema"),
        Objects.requireNonNull(preprocessor, "preprocessor"), recipe);
  }

  /** What the model takes as input; empty for a bare network (trained from arrays, or an old file). */
  public Optional<InputSchema> schema() {
    return Optional.ofNullable(schema);
  }

  /** The preprocessing {@link #predict(float[], int)} applies first (the identity for a bare network). */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /** How the training data was made, when known. */
  public Optional<DataRecipe> recipe() {
    return Optional.ofNullable(recipe);
  }

  /** Features {@link #predict(float[], int)} takes per row: raw features, before preprocessing. */
  public int inputs() {
    return preprocessor.inputs();
  }

  public NetworkSpec spec() {
    return network.spec();
  }

  public Provenance provenance() {
    return provenance;
  }

  public long parameterCount() {
    return network.parameterCount();
  }

  public long flopsPerSample() {
    return network.flopsPerSample();
  }

  /**
   * Predictions for {@code rows} samples ({@code x} is {@code rows x inputs()} raw features,
   * row-major, in the order of {@link InputSchema#featureNames()}), as a new {@code rows x outputs}
   * array: class probabilities (softmax) for softmax cross-entropy, sigmoid probabilities for binary
   * cross-entropy, raw outputs for MSE. The model's preprocessing is applied first. Inference mode
   * (no dropout, batch-norm running statistics).
   */
  public float[] predict(float[] x, int rows) {
    int raw = preprocessor.inputs();
    if (rows < 0 || x.length < (long) rows * raw) {
      throw new IllegalArgumentException("x has " + x.length + " values, need rows*inputs = " + (long) rows * raw);
    }
    float[] in = preprocessor.passesThrough() ? x : preprocessor.apply(java.util.Arrays.copyOf(x, rows * raw), rows);
    synchronized (network) {
      return forward(in, rows);
    }
  }

  /**
   * Reads new data with the model's {@link InputSchema} (a CSV, ARFF or IDX source, see {@link
   * InputSchema#read}) and predicts it.
   *
   * @throws IllegalStateException when this model carries no input schema
   * @throws dev.strata.trainer.data.DataFormatException one line when the data does not fit the schema
   */
  public Predictions predict(String source) {
    return predict(requireSchema().read(source, preprocessor.imputes()));
  }

  /** Predicts data already encoded with this model's schema. */
  public Predictions predict(InputSchema.Input input) {
    InputSchema s = requireSchema();
    float[] p = predict(input.x(), input.rows());
    int k = network.outputs();
    if (!s.regression() && k == 1 && s.classNames().size() == 2) {
      float[] two = new float[input.rows() * 2];
      for (int r = 0; r < input.rows(); r++) {
        two[2 * r] = 1f - p[r];
        two[2 * r + 1] = p[r];
      }
      p = two;
      k = 2;
    }
    return new Predictions(s.regression() ? List.of() : s.classNames(), input.rows(), k, p, input.labels(), input.targets());
  }

  private InputSchema requireSchema() {
    if (schema == null) {
      throw new IllegalStateException("this model carries no input schema (a bare network, or a file written before"
          + " model format 2); export it again with 'strata export' or save it with TrainedNetwork.withData(...)");
    }
    return schema;
  }

  private float[] forward(float[] x, int rows) {
    int in = network.inputs();
    int k = network.outputs();
    float[] result = new float[rows * k];
    int cap = network.maxRows();
    float[] chunk = new float[Math.min(rows, cap) * in];
    for (int start = 0; start < rows; start += cap) {
      int n = Math.min(cap, rows - start);
      System.arraycopy(x, start * in, chunk, 0, n * in);
      float[] out = network.forward(chunk, n, false);
      network.toPredictions(out, n);
      System.arraycopy(out, 0, result, start * k, n * k);
    }
    return result;
  }

  /** The most probable class per row (argmax; for one output, probability above 0.5 or value above 0.5). */
  public int[] predictClasses(float[] x, int rows) {
    float[] p = predict(x, rows);
    int k = network.outputs();
    int[] classes = new int[rows];
    for (int r = 0; r < rows; r++) {
      if (k == 1) {
        classes[r] = p[r] > 0.5f ? 1 : 0;
      } else {
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (p[r * k + j] > p[r * k + best]) {
            best = j;
          }
        }
        classes[r] = best;
      }
    }
    return classes;
  }

  /** A copy of all trainable parameters (layout in {@link ModelFile}). */
  public float[] parameters() {
    synchronized (network) {
      return network.parameters().clone();
    }
  }

  /** A copy of the batch-norm running statistics. */
  public float[] state() {
    synchronized (network) {
      return network.state().clone();
    }
  }

  /**
   * Saves spec, provenance, weights and (when attached) the input schema, preprocessing and data
   * recipe to one file; format in {@code docs/model-format.md}. The conventional extension is
   * {@code .strata} ({@code .ckpt} is for training checkpoints).
   */
  public void save(Path file) throws IOException {
    synchronized (network) {
      ModelFile.write(file, this);
    }
  }

  /** Loads a file written by {@link #save(Path)}. */
  public static TrainedNetwork load(Path file) throws IOException {
    return ModelFile.read(file);
  }

  Network network() {
    return network;
  }
}
