package dev.strata.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.objective.PreparedData;
import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.spec.DataSpec;
import dev.strata.trainer.analysis.ActivationStats;
import dev.strata.trainer.analysis.InitAnalysis;
import dev.strata.trainer.analysis.InitReport;
import dev.strata.trainer.analysis.LayerStats;
import dev.strata.trainer.analysis.Proxies;
import dev.strata.trainer.analysis.Theory;
import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata inspect SPEC}: analysis at initialisation without training, for dense and
 * convolutional specs: the mean-field theory and verdict, the statistics of one measured batch per
 * dense or convolution layer (theory beside measurement) and per activation (dead and inactive
 * units), and the zero-cost proxies. See {@link InitAnalysis}.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Analyses a network at initialisation: mean-field verdict, per-layer statistics of one batch, zero-cost proxies.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:analysed", "2:bad input: spec, dataset or options"})
public final class InspectCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin DebugMixin debug;

  @Parameters(index = "0", paramLabel = "SPEC", description = "The network spec (JSON).")
  Path specFile;

  @Option(names = "--dataset", paramLabel = "SRC",
      description = "Measure on this data (standardised; a built-in name, csv:PATH, idx:DIR or arff:PATH). Default: N(0, 1) inputs with random labels.")
  String dataset;

  @Option(names = "--label", paramLabel = "COLUMN", description = "Label column of a CSV or ARFF file (default: the last).")
  String label;

  @Option(names = "--regression", description = "Treat the label column as a numeric regression target.")
  boolean regression;

  @Option(names = "--rows", defaultValue = "64", description = "Rows in the measured batch (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--seed", paramLabel = "SEED", description = "Replace the spec's seed.")
  Long seed;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(specFile)) {
      throw new BadInputException(specFile + ": no such spec file; pass an existing network spec JSON (see examples/)");
    }
    if (rows < 2) {
      throw new BadInputException("--rows " + rows + ": the measured batch needs at least 2 rows, e.g. --rows 64");
    }
    NetworkSpec network = NetworkSpecs.read(specFile);
    if (seed != null) {
      network = network.withSeed(seed);
    }
    InitReport report;
    try {
      report = dataset == null ? InitAnalysis.inspectSynthetic(network, rows) : inspectOn(network);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(specFile + ": " + e.getMessage());
    }
    out.println(json ? toJson(report) : table(report));
    out.flush();
    return 0;
  }

  private InitReport inspectOn(NetworkSpec network) {
    DataOptions.Builder options = DataOptions.builder().regression(regression);
    if (label != null) {
      options.label(label);
    }
    PreparedData data = PreparedData.load(new DataSpec(dataset, options.build(), 0.2, 0.2, 0, List.of("standardize")));
    if (network.inputs() != data.inputs()) {
      throw new BadInputException(specFile + " /inputs: the spec has " + network.inputs() + " inputs but dataset '"
          + dataset + "' has " + data.inputs() + " features; set \"inputs\": " + data.inputs());
    }
    if (network.outputs() != data.outputs()) {
      throw new BadInputException(specFile + " /outputs: the spec has " + network.outputs() + " outputs but dataset '"
          + dataset + "' has " + data.outputs() + "; set \"outputs\": " + data.outputs());
    }
    Dataset train = data.split().train();
    int n = Math.min(rows, train.rows());
    float[] x = Arrays.copyOf(train.x(), n * train.features());
    int[] labels = train.labels() == null ? null : Arrays.copyOf(train.labels(), n);
    float[] targets = train.targets() == null ? null : Arrays.copyOf(train.targets(), n * network.outputs());
    return InitAnalysis.inspect(network, x, n, labels, targets);
  }

  static String table(InitReport r) {
    StringBuilder b = new StringBuilder();
    Theory t = r.theory();
    b.append(String.format(Locale.ROOT, "theory: %s, σ_w² = %.3f, σ_b² = %.3f, q* = %.4g, χ₁ = %.3f, ξ = %s%n",
        t.activation(), t.sigmaW2(), t.sigmaB2(), t.fixedPointQ(), t.chi1(),
        t.depthScale() >= 1e4 ? "∞" : String.format(Locale.ROOT, "%.1f", t.depthScale())));
    b.append("verdict: ").append(r.verdict().reason()).append('\n');
    int wide = 20;
    for (LayerStats s : r.layers()) {
      wide = Math.max(wide, s.name().length());
    }
    for (ActivationStats s : r.activations()) {
      wide = Math.max(wide, s.name().length());
    }
    String name = "%-" + wide + "s";
    b.append(String.format(Locale.ROOT, name + " %7s %5s %6s %10s %10s %10s%n", "layer", "fan-in", "out", "pixels",
        "q theory", "q measured", "grad norm"));
    for (LayerStats s : r.layers()) {
      b.append(String.format(Locale.ROOT, name + " %7d %5d %6d %10.4g %10.4g %10.3e%n", s.name(), s.fanIn(),
          s.channels(), s.plane(), s.theoryQ(), s.measuredQ(), s.gradientNorm()));
    }
    if (!r.activations().isEmpty()) {
      b.append(String.format(Locale.ROOT, name + " %-10s %5s %6s %10s %10s %6s %8s%n", "activation", "function", "units",
          "pixels", "q in", "mean a²", "dead", "inactive"));
      for (ActivationStats s : r.activations()) {
        b.append(String.format(Locale.ROOT, name + " %-10s %5d %6d %10.4g %10.4g %5.1f%% %7.1f%%%n", s.name(),
            s.activation(), s.channels(), s.plane(), s.inputMeanSquare(), s.outputMeanSquare(), 100 * s.deadUnits(),
            100 * s.inactiveValues()));
      }
    }
    r.mostInactive().ifPresent(s -> b.append(String.format(Locale.ROOT,
        "most inactive: %s (%.1f%% of its %s dead, %.1f%% of its values inactive)%n", s.name(), 100 * s.deadUnits(),
        s.plane() > 1 ? "channels" : "units", 100 * s.inactiveValues())));
    Proxies p = r.proxies();
    b.append(String.format(Locale.ROOT, "proxies (%d rows, loss %.4f, %.1f ms): grad_norm %.4g  snip %.4g  synflow %.4g  naswot %.4g",
        r.rows(), r.loss(), p.nanos() / 1e6, p.gradNorm(), p.snip(), p.synflow(), p.naswot()));
    return b.toString();
  }

  static String toJson(InitReport r) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode theory = root.putObject("theory");
    theory.put("activation", r.theory().activation().jsonName());
    put(theory, "sigmaW2", r.theory().sigmaW2());
    put(theory, "sigmaB2", r.theory().sigmaB2());
    put(theory, "fixedPointQ", r.theory().fixedPointQ());
    put(theory, "chi1", r.theory().chi1());
    put(theory, "depthScale", r.theory().depthScale());
    ObjectNode verdict = root.putObject("verdict");
    verdict.put("phase", r.verdict().phase().toString());
    verdict.put("trainable", r.verdict().trainable());
    verdict.put("depth", r.verdict().depth());
    verdict.put("reason", r.verdict().reason());
    ArrayNode layers = root.putArray("layers");
    for (LayerStats s : r.layers()) {
      ObjectNode l = layers.addObject();
      l.put("name", s.name());
      l.put("fanIn", s.fanIn());
      l.put("channels", s.channels());
      l.put("pixels", s.plane());
      put(l, "qTheory", s.theoryQ());
      put(l, "qMeasured", s.measuredQ());
      put(l, "gradientNorm", s.gradientNorm());
    }
    ArrayNode activations = root.putArray("activations");
    for (ActivationStats s : r.activations()) {
      ObjectNode l = activations.addObject();
      l.put("name", s.name());
      l.put("activation", s.activation().jsonName());
      l.put("units", s.channels());
      l.put("pixels", s.plane());
      put(l, "qIn", s.inputMeanSquare());
      put(l, "outputMeanSquare", s.outputMeanSquare());
      put(l, "deadUnits", s.deadUnits());
      put(l, "inactiveValues", s.inactiveValues());
    }
    ObjectNode proxies = root.putObject("proxies");
    put(proxies, "gradNorm", r.proxies().gradNorm());
    put(proxies, "snip", r.proxies().snip());
    put(proxies, "synflow", r.proxies().synflow());
    put(proxies, "naswot", r.proxies().naswot());
    proxies.put("millis", r.proxies().nanos() / 1e6);
    root.put("rows", r.rows());
    put(root, "loss", r.loss());
    return root.toString();
  }

  /** Non-finite values (an unbounded q*, an infinite depth scale, a singular NASWOT kernel) as null. */
  private static void put(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }
}
