package dev.strata.experiments.objective;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.experiments.mapping.Mapping;
import dev.strata.experiments.mapping.NetworkMapper;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.spec.ExperimentException;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.space.LocatedJson;
import dev.strata.search.space.SpaceException;
import dev.strata.search.trial.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code strata validate} and {@code strata run} check before anything is created: the
 * evaluator is built (for a training objective the data is opened, split and preprocessed: the
 * label exists, rows have the header's column count, feature columns are numbers, there are at
 * least two classes, enough rows for the split), and {@value #SAMPLES} configurations sampled from
 * the space (seeded, so the same every time) are mapped through the {@link NetworkMapper}. Every
 * distinct reason the mapper rejects a sample for (a misspelt block type, {@code l2} with {@code
 * weightDecay}, a parameter the mapper does not read) is a located problem: {@code
 * FILE:LINE:COL /space/...: the network mapper rejects N of 256 sampled configurations: REASON}.
 * Stateless.
 */
public final class Preflight {

  /** Configurations sampled from the space and mapped. */
  public static final int SAMPLES = 256;

  private static final Pattern PATH = Pattern.compile("^((?:blocks/|block )\\d+(?:/[A-Za-z]+(?:/\\d+)?)*)");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  private Preflight() {}

  /**
   * Builds the experiment's evaluator and checks the space against the mapper.
   *
   * @throws ExperimentException located problems, one per distinct rejection reason
   * @throws dev.strata.trainer.data.DataFormatException bad data, located in the data file
   */
  public static TrialEvaluator check(ExperimentSpec spec) {
    if (spec.objective().source() instanceof ObjectiveSource.Training t && t.data().folds() > 1
        && spec.search().scheduler() != null) {
      throw new ExperimentException(List.of(new SpaceException.Problem(spec.file() == null ? spec.name()
          : spec.file().toString(), 0, 0, "/dataset/split/folds", "cross-validation with a multi-fidelity scheduler"
          + " is not supported (a rung would pause every fold); remove \"folds\" or the scheduler")));
    }
    TrialEvaluator evaluator;
    try {
      evaluator = Evaluators.create(spec);
    } catch (dev.strata.trainer.data.DataFormatException e) {
      throw locatedInExperiment(spec, e);
    }
    if (spec.objective().source() instanceof ObjectiveSource.Training && Evaluators.training(evaluator) instanceof TrainingEvaluator t) {
      List<SpaceException.Problem> problems = mapperProblems(spec, t);
      if (!problems.isEmpty()) {
        throw new ExperimentException(problems);
      }
    }
    return evaluator;
  }

  /**
   * A problem of the whole dataset against what the experiment asks of it ({@code SOURCE: ...}, no
   * line of the data to point at: class weights naming a class the data lacks, more folds than rows,
   * one class), located at the experiment's entry that asked; any other data problem as it is.
   */
  static RuntimeException locatedInExperiment(ExperimentSpec spec, dev.strata.trainer.data.DataFormatException e) {
    if (spec.file() == null || !(spec.objective().source() instanceof ObjectiveSource.Training t)
        || !e.getMessage().startsWith(t.data().source() + ": ")) {
      return e;
    }
    String m = e.getMessage();
    String pointer = m.contains("\"classWeights\"") ? "/dataset/classWeights"
        : m.contains(" folds;") ? "/dataset/split/folds"
        : m.contains("has only one class") ? "/dataset/label" : null;
    try {
      LocatedJson doc = LocatedJson.read(spec.file());
      if (pointer == null || doc.root().at(pointer).isMissingNode()) {
        return e;
      }
      LocatedJson.Position p = doc.locate(pointer);
      return new ExperimentException(List.of(new SpaceException.Problem(spec.file().toString(), p.line(), p.column(),
          pointer, m)));
    } catch (SpaceException unreadable) {
      return e;
    }
  }

  /** One problem per distinct reason among {@link #SAMPLES} sampled configurations. */
  static List<SpaceException.Problem> mapperProblems(ExperimentSpec spec, TrainingEvaluator evaluator) {
    SplittableRandom random = new SplittableRandom(spec.seed() ^ 0x5EEDL);
    Map<String, Object[]> reasons = new LinkedHashMap<>(); // key -> {first reason, count, example}
    int inSpace = 0;
    for (int i = 0; i < SAMPLES; i++) {
      Configuration c = spec.space().sample(random);
      Mapping m = evaluator.mapper().map(c, 1, spec.search().budget().maxEpochs());
      // a point the space rightly holds that makes no network costs its own trial only, unless all do
      if (m instanceof Mapping.Rejected r && r.inSpace() && ++inSpace < SAMPLES) {
        continue;
      }
      if (m instanceof Mapping.Rejected r) {
        String key = r.reason().replaceAll("\\d+", "#");
        Object[] e = reasons.computeIfAbsent(key, k -> new Object[] {r.reason(), 0, c.canonicalJson()});
        e[1] = (Integer) e[1] + 1;
      }
    }
    if (reasons.isEmpty()) {
      return List.of();
    }
    Located where = located(spec);
    List<SpaceException.Problem> out = new ArrayList<>();
    for (Object[] e : reasons.values()) {
      String reason = (String) e[0];
      String pointer = pointer(reason, where);
      LocatedJson.Position p = where.json == null ? LocatedJson.Position.UNKNOWN : where.json.locate(pointer);
      String example = (String) e[2];
      out.add(new SpaceException.Problem(where.source, p.line(), p.column(), pointer,
          "the network mapper rejects " + e[1] + " of " + SAMPLES + " sampled configurations: " + reason
              + (example.length() <= 200 ? " (for example " + example + ")" : "")));
    }
    return out;
  }

  private record Located(String source, LocatedJson json, String prefix) {}

  /** The document that holds the space: the experiment file, or the space file it names. */
  private static Located located(ExperimentSpec spec) {
    if (spec.file() == null) {
      return new Located(spec.name(), null, "/space");
    }
    try {
      LocatedJson doc = LocatedJson.read(spec.file());
      JsonNode space = doc.root().path("space");
      if (space.isTextual()) {
        Path f = spec.file().toAbsolutePath().getParent().resolve(space.asText());
        if (Files.isRegularFile(f)) {
          LocatedJson sf = LocatedJson.read(f);
          return new Located(f.toString(), sf, sf.root().has("space") ? "/space" : "");
        }
      }
      return new Located(spec.file().toString(), doc, "/space");
    } catch (SpaceException e) {
      return new Located(spec.file().toString(), null, "/space");
    }
  }

  /**
   * The JSON pointer of the space entry a reason names: {@code blocks/0/type: ...} is
   * {@code /space/blocks/of/type}, narrowed to the choice element holding the quoted value when
   * there is one; {@code 'l2' and 'weightDecay' ...} is the last quoted top-level name; else the space.
   */
  static String pointer(String reason, Located where) {
    String base = where.prefix;
    JsonNode root = where.json == null ? null : where.json.root();
    Matcher m = PATH.matcher(reason);
    String pointer = null;
    if (m.find()) {
      String path = m.group(1).replaceAll("^block \\d+", "").replaceAll("^blocks/\\d+", "/blocks/of")
          .replaceAll("/branches/\\d+", "/branches/of").replaceAll("/\\d+", "");
      if (path.isEmpty() || path.startsWith("/")) {
        pointer = base + path;
      }
    }
    List<String> quoted = new ArrayList<>();
    Matcher q = QUOTED.matcher(reason);
    while (q.find()) {
      quoted.add(q.group(1));
    }
    if (pointer == null && root != null) {
      for (int i = quoted.size() - 1; i >= 0 && pointer == null; i--) {
        if (exists(root, base + "/" + quoted.get(i))) {
          pointer = base + "/" + quoted.get(i);
        }
      }
    }
    if (pointer == null) {
      return base;
    }
    if (root == null) {
      return pointer;
    }
    for (int i = quoted.size() - 1; i >= 0; i--) {
      if (!quoted.get(i).isEmpty() && !quoted.get(i).contains("/") && exists(root, pointer + "/" + quoted.get(i))) {
        pointer = pointer + "/" + quoted.get(i);
        break;
      }
    }
    while (!pointer.equals(base) && !exists(root, pointer)) {
      pointer = pointer.substring(0, pointer.lastIndexOf('/'));
    }
    JsonNode choice = root.at(pointer + "/choice");
    if (choice.isArray()) {
      for (int i = 0; i < choice.size(); i++) {
        if (quoted.contains(choice.get(i).asText())) {
          return pointer + "/choice/" + i;
        }
      }
    }
    return pointer;
  }

  private static boolean exists(JsonNode root, String pointer) {
    return !root.at(pointer).isMissingNode();
  }
}
