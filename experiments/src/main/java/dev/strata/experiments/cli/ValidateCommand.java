package dev.strata.experiments.cli;

import dev.strata.experiments.objective.Preflight;
import dev.strata.experiments.objective.TrainingEvaluator;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.spec.ExperimentException;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.SpaceSupport;
import dev.strata.search.space.LocatedJson;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.space.SpaceException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata validate FILE}: checks an experiment file or a search-space file. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks an experiment file or a search-space file.",
      "Checks an experiment file or a search-space file (Strata or NNI format) without running anything.",
      "Which one it is is detected: an experiment has a search, dataset or objective key.",
      "An experiment's data is opened as 'run' opens it (label column, column counts, numbers, at least two",
      "classes, enough rows for the split), and 256 configurations sampled from its space are mapped to",
      "networks: a rejection (a misspelt block type, l2 with weightDecay, a parameter the mapper does not",
      "read) is a located error. 'run' makes the same checks before it creates the run directory.",
      "Every mistake is printed as FILE:LINE:COL /json/pointer: what is wrong; how to fix."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the file is valid", "2:the file has mistakes (one line each on stderr)"})
public final class ValidateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "experiment.json or a search-space file")
  Path file;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    LocatedJson json;
    try {
      json = LocatedJson.read(file);
    } catch (SpaceException e) {
      throw new ExperimentException(e.problems());
    }
    var out = spec.commandLine().getOut();
    if (!json.root().isObject() || ExperimentReader.looksLikeExperiment(json.root())) {
      ExperimentSpec experiment = ExperimentReader.read(file);
      TrialEvaluator evaluator = Preflight.check(experiment);
      out.println(file + ": ok: " + describe(experiment));
      if (dev.strata.experiments.objective.Evaluators.training(evaluator) instanceof TrainingEvaluator t) {
        var train = t.data().split().train();
        out.println("data: " + t.data().spec().source() + ": " + t.data().schema().features() + " features -> "
            + (t.data().classification() ? t.data().outputs() + " classes" : t.data().outputs() + " targets")
            + "; " + (t.data().spec().folds() > 1 ? t.data().spec().folds() + " folds, each " : "") + train.rows()
            + " training, " + t.data().split().validation().rows() + " validation, "
            + t.data().split().test().rows() + " test rows"
            + (t.data().spec().testSource() == null ? "" : " (from " + t.data().spec().testSource() + ")")
            + "; " + Preflight.SAMPLES
            + " sampled configurations map to networks");
      }
    } else {
      SearchSpace space = SpaceSupport.readFile(file).space();
      out.println(file + ": ok: search space with " + space.dimensions().size() + " dimensions"
          + (SpaceSupport.isNni(json.root()) ? " (NNI format)" : ""));
    }
    out.flush();
    return 0;
  }

  static String describe(ExperimentSpec e) {
    var s = e.search();
    return "experiment '" + e.name() + "': " + (e.objective().direction().name().toLowerCase(java.util.Locale.ROOT))
        + " " + e.objective().metric() + " over " + e.space().dimensions().size() + " dimensions; "
        + s.strategies().size() + " strateg" + (s.strategies().size() == 1 ? "y" : "ies") + " x "
        + s.seeds().size() + " seed" + (s.seeds().size() == 1 ? "" : "s") + " = "
        + s.strategies().size() * s.seeds().size() + " studies"
        + (s.budget().trials() > 0 ? ", " + s.budget().trials() + " trials each" : "")
        + (s.budget().time().isZero() ? "" : ", at most " + Durations.format(s.budget().time()) + " in all")
        + ", " + s.parallel() + " in parallel";
  }
}
