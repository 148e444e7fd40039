package dev.strata.experiments.mapping;

import static dev.strata.experiments.mapping.Params.Reject;
import static dev.strata.experiments.mapping.Params.activation;
import static dev.strata.experiments.mapping.Params.bool;
import static dev.strata.experiments.mapping.Params.fraction;
import static dev.strata.experiments.mapping.Params.integer;
import static dev.strata.experiments.mapping.Params.named;
import static dev.strata.experiments.mapping.Params.number;
import static dev.strata.experiments.mapping.Params.positive;
import static dev.strata.experiments.mapping.Params.positiveDouble;
import static dev.strata.experiments.mapping.Params.require;
import static dev.strata.experiments.mapping.Params.show;
import static dev.strata.experiments.mapping.Params.string;

import dev.strata.search.trial.Configuration;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.Augmentation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.ImageBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.ScheduleSpec;
import dev.strata.trainer.spec.ScheduleType;
import dev.strata.trainer.spec.SpecException;
import dev.strata.trainer.spec.SpecNames;
import dev.strata.trainer.spec.TrainingSpec;
import dev.strata.trainer.spec.WeightInit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps a search-space {@link Configuration} to a trainer {@link NetworkSpec}: the {@code blocks}
 * repeat group becomes the hidden blocks, the top-level training parameters the {@link
 * TrainingSpec}. The recognised names are listed in {@code docs/experiments.md}; in short:
 *
 * <ul>
 *   <li>{@code blocks}: a list, one map per block, with {@code type} (plain, residual, inception;
 *       default plain), {@code width}, {@code layers}, {@code activation}, {@code dropout}, {@code
 *       batchNorm}, {@code preActivation} (residual), {@code branches} (inception: a count, or a
 *       list of {width, layers, activation} maps), {@code branchWidth}, {@code branchLayers}, {@code
 *       projection} (inception). Without a {@code blocks} group, top-level {@code depth} blocks of
 *       {@code width} (and {@code type}, {@code layers}, {@code activation}) are built.
 *   <li>training: {@code optimizer}, {@code learningRate}, {@code momentum}, {@code beta1}, {@code
 *       beta2}, {@code batchSize}, {@code epochs}, {@code init} (he, glorot, gaussian, uniform or a
 *       trainer name), {@code initScale}, {@code l2} (alias {@code weightDecay}), {@code dropout} (the
 *       default for blocks), {@code clipNorm}, {@code patience}, {@code schedule} (constant, step,
 *       exponential, cosine) with {@code scheduleGamma}, {@code scheduleStep}, {@code warmupEpochs};
 *       on image data {@code augment} (true: random crops with {@code augmentCrop} pixels of padding,
 *       default 4, and horizontal flips unless {@code augmentFlip} is false).
 * </ul>
 *
 * Any other name is an error unless it is in the {@code ignore} set given to the constructor
 * (parameters the user's own tooling reads). An unknown value or a contradictory combination (width
 * 0, an inception parameter on a plain block...) gives {@link Mapping.Rejected} with a reason,
 * never an exception. Immutable and thread-safe.
 */
public final class NetworkMapper {

  /** The top-level parameter names this mapper reads. */
  public static final Set<String> TRAINING_NAMES = Set.of("optimizer", "learningRate", "momentum", "beta1", "beta2",
      "batchSize", "epochs", "init", "initScale", "l2", "weightDecay", "dropout", "clipNorm", "patience", "schedule",
      "scheduleGamma", "scheduleStep", "warmupEpochs", "augment", "augmentCrop", "augmentFlip");

  /** Names of a flat (group-less) network description. */
  public static final Set<String> FLAT_NAMES = Set.of("depth", "width", "layers", "type", "activation", "batchNorm",
      "preActivation");

  /** Parameter names inside one element of {@code blocks}. */
  public static final Set<String> BLOCK_NAMES = Set.of("type", "width", "layers", "activation", "dropout", "batchNorm",
      "preActivation", "branches", "branchWidth", "branchLayers", "projection");

  /** Parameter names inside one element of an inception block's {@code branches} list. */
  public static final List<String> BRANCH_NAMES = List.of("width", "layers", "activation");

  /** The group name of the hidden blocks. */
  public static final String BLOCKS = "blocks";

  private static final List<String> INIT_NAMES = List.of("he", "glorot", "gaussian", "uniform", "glorot_uniform",
      "glorot_normal", "he_uniform", "he_normal", "sparse", "critical");

  private final ImageShape image;
  private final int inputs;
  private final int outputs;
  private final boolean classification;
  private final Set<String> ignore;

  /**
   * @param inputs features per sample (after preprocessing)
   * @param outputs classes (classification) or target columns (regression)
   * @param classification softmax cross-entropy on logits when true, mean squared error otherwise
   * @param ignore top-level names to pass over silently
   */
  public NetworkMapper(int inputs, int outputs, boolean classification, Set<String> ignore) {
    this(null, inputs, outputs, classification, ignore);
  }

  /**
   * A mapper for image data of shape {@code image} (null for flat features): configurations may
   * then describe convolutional blocks, stages and cells ({@link ImageMapper}).
   */
  public NetworkMapper(ImageShape image, int inputs, int outputs, boolean classification, Set<String> ignore) {
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException("inputs and outputs must be >= 1, got " + inputs + " and " + outputs);
    }
    if (image != null && image.size() != inputs) {
      throw new IllegalArgumentException("image " + image + " has " + image.size() + " values, the data " + inputs);
    }
    this.image = image;
    this.inputs = inputs;
    this.outputs = classification ? Math.max(2, outputs) : outputs;
    this.classification = classification;
    this.ignore = Set.copyOf(ignore);
  }

  /** A mapper that ignores nothing. */
  public NetworkMapper(int inputs, int outputs, boolean classification) {
    this(inputs, outputs, classification, Set.of());
  }

  /**
   * Maps a configuration.
   *
   * @param seed the network's seed (weights, dropout masks, shuffling)
   * @param maxEpochs when &gt; 0, the epochs to train (the scheduler's resource), overriding {@code epochs}
   */
  public Mapping map(Configuration configuration, long seed, int maxEpochs) {
    try {
      Map<String, Object> v = configuration.values();
      Set<String> unknown = new LinkedHashSet<>();
      for (String name : v.keySet()) {
        if (!TRAINING_NAMES.contains(name) && !FLAT_NAMES.contains(name) && !name.equals(BLOCKS)
            && !ignore.contains(name) && !(image != null && ImageMapper.TOP_NAMES.contains(name))) {
          unknown.add(name);
        }
      }
      if (!unknown.isEmpty()) {
        String name = unknown.iterator().next();
        List<String> known = new ArrayList<>(TRAINING_NAMES);
        known.addAll(FLAT_NAMES);
        known.add(BLOCKS);
        if (image != null) {
          known.addAll(ImageMapper.TOP_NAMES);
        }
        String near = SpecNames.suggest(name, known);
        return new Mapping.Rejected("unknown parameter '" + name + "'"
            + (near == null ? "" : " (did you mean '" + near + "'?)") + "; see docs/experiments.md for the names"
            + " Strata maps to a network");
      }
      List<BlockSpec> blocks = blocks(v);
      TrainingSpec training = training(v, maxEpochs);
      NetworkSpec spec = NetworkSpec.builder()
          .inputs(inputs)
          .image(image)
          .outputs(outputs)
          .blocks(blocks)
          .outputActivation(Activation.LINEAR)
          .loss(classification ? Loss.SOFTMAX_CROSS_ENTROPY : Loss.MSE)
          .training(training)
          .seed(seed)
          .build();
      return new Mapping.Network(spec);
    } catch (Reject e) {
      return new Mapping.Rejected(e.getMessage());
    } catch (Params.Unbuildable e) {
      return new Mapping.Rejected(e.getMessage(), true);
    } catch (SpecException e) {
      return new Mapping.Rejected(e.getMessage());
    } catch (IllegalArgumentException e) {
      return new Mapping.Rejected(e.getMessage() == null ? "invalid combination" : e.getMessage());
    }
  }

  /**
   * The NAS-Bench-201 string of a cell configuration ({@code edges}: 6 operations over that
   * benchmark's 5), so an architecture can be looked up in its published tables; empty otherwise.
   */
  public static java.util.Optional<String> nasBench201(Configuration configuration) {
    return ImageMapper.nasBench201(configuration.values());
  }

  private List<BlockSpec> blocks(Map<String, Object> v) {
    List<BlockSpec> out = new ArrayList<>();
    Activation topActivation = v.containsKey("activation") ? activation("activation", v.get("activation")) : null;
    if (image != null && (v.containsKey("edges") || v.containsKey("stages"))) {
      for (String other : List.of(BLOCKS, "depth", "width")) {
        if (v.containsKey(other)) {
          throw new Reject("'" + other + "' contradicts '" + (v.containsKey("edges") ? "edges" : "stages")
              + "': a configuration describes cells, stages or blocks, one of them");
        }
      }
      if (v.containsKey("edges") && v.containsKey("stages")) {
        throw new Reject("'edges' and 'stages' contradict each other: a cell network is staged by cellStages");
      }
      return v.containsKey("edges") ? ImageMapper.cells(v, topActivation == null ? Activation.RELU : topActivation)
          : ImageMapper.stages(v.get("stages"), v, topActivation, image);
    }
    Object group = v.get(BLOCKS);
    if (group != null) {
      for (String flat : FLAT_NAMES) {
        if (v.containsKey(flat) && !flat.equals("activation")) {
          throw new Reject("'" + flat + "' at the top level contradicts the 'blocks' group; put it inside the group");
        }
      }
      if (!(group instanceof List<?> list)) {
        throw new Reject("'blocks' must be a repeat group (a list of blocks), got " + show(group));
      }
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map<?, ?> m)) {
          throw new Reject("blocks/" + i + " must be a map of block parameters, got " + show(list.get(i)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> block = (Map<String, Object>) m;
        String type = block.containsKey("type") ? string("blocks/" + i + "/type", block.get("type"))
            .toLowerCase(Locale.ROOT) : "plain";
        if (ImageMapper.isImageType(type)) {
          if (image == null) {
            throw new Reject("blocks/" + i + ": a " + type + " block needs image data (idx:, cifar: or images:);"
                + " this dataset has flat features");
          }
          if (out.stream().anyMatch(b -> !(b instanceof ImageBlock))) {
            throw new Reject("blocks/" + i + ": a " + type + " block cannot follow a dense block; put the image"
                + " blocks first (the space's 'when' can keep dense types out of the first positions)");
          }
          out.add(ImageMapper.block("blocks/" + i, type, block, topActivation, 0));
        } else {
          out.add(block("blocks/" + i, block, v));
        }
      }
      if (out.stream().anyMatch(b -> b instanceof ImageBlock)) {
        out.addAll(0, ImageMapper.stemBlocks(v));
        ImageMapper.head(out);
      }
      return out;
    }
    if (v.containsKey("depth") || v.containsKey("width")) {
      int depth = v.containsKey("depth") ? integer("depth", v.get("depth"), 0) : 1;
      Map<String, Object> block = new java.util.HashMap<>();
      for (String k : List.of("type", "width", "layers", "activation", "batchNorm", "preActivation")) {
        if (v.containsKey(k)) {
          block.put(k, v.get(k));
        }
      }
      for (int i = 0; i < depth; i++) {
        out.add(block("block " + i, block, v));
      }
    }
    return out;
  }

  private BlockSpec block(String where, Map<String, Object> b, Map<String, Object> top) {
    for (String k : b.keySet()) {
      if (!BLOCK_NAMES.contains(k)) {
        String near = SpecNames.suggest(k, BLOCK_NAMES);
        throw new Reject(where + ": unknown block parameter '" + k + "'" + (near == null ? "" : " (did you mean '" + near
            + "'?)") + "; known: " + String.join(", ", new java.util.TreeSet<>(BLOCK_NAMES)));
      }
    }
    String type = b.containsKey("type") ? string(where + "/type", b.get("type")).toLowerCase(Locale.ROOT) : "plain";
    Object act = b.containsKey("activation") ? b.get("activation") : top.get("activation");
    Activation activation = act == null ? Activation.RELU : activation(where + "/activation", act);
    Double dropout = b.containsKey("dropout") ? fraction(where + "/dropout", b.get("dropout")) : null;
    boolean batchNorm = b.containsKey("batchNorm") && bool(where + "/batchNorm", b.get("batchNorm"));
    switch (type) {
      case "plain", "residual" -> {
        for (String k : List.of("branches", "branchWidth", "branchLayers", "projection")) {
          if (b.containsKey(k)) {
            throw new Reject(where + ": '" + k + "' only applies to inception blocks, not " + type
                + "; add \"when\": {\"type\": \"inception\"} to it in the space");
          }
        }
        if (type.equals("plain") && b.containsKey("preActivation") && bool(where + "/preActivation", b.get("preActivation"))) {
          throw new Reject(where + ": preActivation only applies to residual blocks; add \"when\": {\"type\": \"residual\"}");
        }
        int width = positive(where + "/width", require(where, b, "width"));
        int layers = b.containsKey("layers") ? positive(where + "/layers", b.get("layers")) : type.equals("plain") ? 1 : 2;
        if (type.equals("plain")) {
          return new PlainBlock(width, layers, activation, dropout, batchNorm);
        }
        boolean pre = b.containsKey("preActivation") && bool(where + "/preActivation", b.get("preActivation"));
        return new ResidualBlock(width, layers, activation, dropout, batchNorm, pre);
      }
      case "inception" -> {
        if (b.containsKey("preActivation") && bool(where + "/preActivation", b.get("preActivation"))) {
          throw new Reject(where + ": preActivation only applies to residual blocks");
        }
        if (batchNorm) {
          throw new Reject(where + ": inception blocks have no batch norm; add \"when\": {\"type\": [\"plain\","
              + " \"residual\"]} to batchNorm");
        }
        Object br = b.getOrDefault("branches", 2L);
        List<InceptionBlock.Branch> branches = new ArrayList<>();
        if (br instanceof List<?> list) {
          for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
              throw new Reject(where + "/branches/" + i + " must be a map with width, layers, activation");
            }
            String w = where + "/branches/" + i;
            for (Object k : m.keySet()) {
              if (!BRANCH_NAMES.contains(k)) {
                throw new Reject(w + ": '" + k + "' is not a parameter of an inception branch (branches are dense: "
                    + String.join(", ", BRANCH_NAMES) + "), so it would change nothing; remove it from the space");
              }
            }
            Object bw = m.containsKey("width") ? m.get("width") : b.getOrDefault("branchWidth", b.get("width"));
            if (bw == null) {
              throw new Reject(w + ": missing 'width'; give the branch a width");
            }
            Object bl = m.containsKey("layers") ? m.get("layers") : b.getOrDefault("branchLayers", b.getOrDefault("layers", 1L));
            Object ba = m.get("activation");
            branches.add(new InceptionBlock.Branch(positive(w + "/width", bw), positive(w + "/layers", bl),
                ba == null ? activation : activation(w + "/activation", ba)));
          }
        } else {
          int count = positive(where + "/branches", br);
          Object bw = b.containsKey("branchWidth") ? b.get("branchWidth") : b.get("width");
          if (bw == null) {
            throw new Reject(where + ": an inception block needs 'width' or 'branchWidth'");
          }
          int width = positive(where + (b.containsKey("branchWidth") ? "/branchWidth" : "/width"), bw);
          int layers = positive(where + "/branchLayers",
              b.containsKey("branchLayers") ? b.get("branchLayers") : b.getOrDefault("layers", 1L));
          for (int i = 0; i < count; i++) {
            branches.add(new InceptionBlock.Branch(width, layers, activation));
          }
        }
        if (branches.isEmpty()) {
          throw new Reject(where + "/branches: an inception block needs at least one branch");
        }
        Integer projection = b.containsKey("projection") ? positive(where + "/projection", b.get("projection")) : null;
        return new InceptionBlock(branches, projection, dropout);
      }
      default -> {
        String near = SpecNames.suggest(type, BlockSpec.TYPES);
        throw new Reject(where + "/type: unknown block type '" + type + "'" + (near == null ? "" : " (did you mean '"
            + near + "'?)") + "; use plain, residual or inception" + (image == null ? ""
            : ", or an image block: " + String.join(", ", ImageMapper.TYPES)));
      }
    }
  }

  private TrainingSpec training(Map<String, Object> v, int maxEpochs) {
    TrainingSpec.Builder t = TrainingSpec.builder();
    if (v.containsKey("optimizer")) {
      t.optimizer(named("optimizer", v.get("optimizer"), OptimizerType::of));
    }
    if (v.containsKey("learningRate")) {
      t.learningRate(positiveDouble("learningRate", v.get("learningRate")));
    }
    if (v.containsKey("momentum")) {
      t.momentum(fraction("momentum", v.get("momentum")));
    }
    if (v.containsKey("beta1")) {
      t.beta1(fraction("beta1", v.get("beta1")));
    }
    if (v.containsKey("beta2")) {
      t.beta2(fraction("beta2", v.get("beta2")));
    }
    if (v.containsKey("batchSize")) {
      t.batchSize(positive("batchSize", v.get("batchSize")));
    }
    int epochs = v.containsKey("epochs") ? positive("epochs", v.get("epochs")) : 20;
    t.epochs(maxEpochs > 0 ? maxEpochs : epochs);
    if (v.containsKey("l2") && v.containsKey("weightDecay")) {
      throw new Reject("'l2' and 'weightDecay' are the same thing; keep one");
    }
    Object l2 = v.containsKey("l2") ? v.get("l2") : v.get("weightDecay");
    if (l2 != null) {
      double d = number(v.containsKey("l2") ? "l2" : "weightDecay", l2);
      if (d < 0) {
        throw new Reject("l2 must be >= 0, got " + d);
      }
      t.weightDecay(d);
    }
    if (v.containsKey("dropout")) {
      t.dropout(fraction("dropout", v.get("dropout")));
    }
    if (v.containsKey("clipNorm")) {
      double d = number("clipNorm", v.get("clipNorm"));
      if (d < 0) {
        throw new Reject("clipNorm must be >= 0 (0 disables), got " + d);
      }
      t.clipNorm(d);
    }
    if (v.containsKey("patience")) {
      t.patience(integer("patience", v.get("patience"), 0));
    }
    if (v.containsKey("init")) {
      t.init(init(string("init", v.get("init")), v.containsKey("initScale") ? positiveDouble("initScale", v.get("initScale")) : 0.05));
    } else if (v.containsKey("initScale")) {
      throw new Reject("'initScale' needs 'init' set to gaussian or uniform");
    }
    if (v.containsKey("schedule")) {
      ScheduleType type = named("schedule", v.get("schedule"), ScheduleType::of);
      double gamma = v.containsKey("scheduleGamma") ? number("scheduleGamma", v.get("scheduleGamma")) : 0.5;
      int step = v.containsKey("scheduleStep") ? positive("scheduleStep", v.get("scheduleStep")) : 10;
      ScheduleSpec s = switch (type) {
        case CONSTANT -> ScheduleSpec.constant();
        case STEP -> ScheduleSpec.step(step, gamma);
        case EXPONENTIAL -> ScheduleSpec.exponential(gamma);
        case COSINE -> ScheduleSpec.cosine(0);
      };
      if (v.containsKey("warmupEpochs")) {
        s = s.withWarmupEpochs(integer("warmupEpochs", v.get("warmupEpochs"), 0));
      }
      t.schedule(s);
    } else if (v.containsKey("scheduleGamma") || v.containsKey("scheduleStep") || v.containsKey("warmupEpochs")) {
      throw new Reject("scheduleGamma, scheduleStep and warmupEpochs need 'schedule' (step, exponential, cosine)");
    }
    t.augment(augmentation(v));
    return t.build();
  }

  /**
   * The training augmentation: {@code augment} true turns it on, with {@code augmentCrop} pixels of
   * crop padding (default 4, 0 for none) and horizontal flips unless {@code augmentFlip} is false;
   * false or absent, none. Image data only.
   */
  private Augmentation augmentation(Map<String, Object> v) {
    boolean on = v.containsKey("augment") && bool("augment", v.get("augment"));
    if (!on) {
      for (String k : List.of("augmentCrop", "augmentFlip")) {
        if (v.containsKey(k)) {
          throw new Reject("'" + k + "' needs \"augment\": true; add \"when\": {\"augment\": true} to it in the space");
        }
      }
      return null;
    }
    if (image == null) {
      throw new Reject("augment: augmentation (random crops and flips) needs image data (idx:, cifar: or images:);"
          + " this dataset has flat features, so remove 'augment' from the space");
    }
    int crop = v.containsKey("augmentCrop") ? integer("augmentCrop", v.get("augmentCrop"), 0) : 4;
    boolean flip = !v.containsKey("augmentFlip") || bool("augmentFlip", v.get("augmentFlip"));
    if (crop == 0 && !flip) {
      throw new Reject("augment: augmentCrop 0 and augmentFlip false leave nothing to augment; set \"augment\": false");
    }
    return new Augmentation(crop, flip);
  }

  private static WeightInit init(String name, double scale) {
    String n = name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "he", "he_normal" -> new WeightInit.HeNormal();
      case "he_uniform" -> new WeightInit.HeUniform();
      case "glorot", "glorot_uniform", "xavier" -> new WeightInit.GlorotUniform();
      case "glorot_normal" -> new WeightInit.GlorotNormal();
      case "gaussian", "normal" -> new WeightInit.Gaussian(scale, false);
      case "uniform" -> new WeightInit.Uniform(scale);
      case "sparse" -> new WeightInit.Sparse(0.1, 0);
      case "critical" -> WeightInit.critical();
      default -> {
        String near = SpecNames.suggest(n, INIT_NAMES);
        throw new Reject("unknown init '" + name + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
            + "; use one of " + String.join(", ", INIT_NAMES));
      }
    };
  }
}
