package dev.strata.experiments.objective;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.experiments.run.TrialClassification;
import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.space.NniSpaceReader;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the user's program once per trial, in any language.
 *
 * <p><b>Protocol.</b> The configuration's canonical JSON (with {@code "parameters": "nni"}, NNI's
 * nested {@code {"_name": …}} objects for the nested choices of an imported NNI space, see {@link
 * NniSpaceReader#nest}) is written to a temporary file whose path is passed as the last argument and in the environment variable {@code STRATA_CONFIG}; the
 * environment also holds {@code STRATA_TRIAL_ID}, {@code STRATA_SEED}, {@code STRATA_RESOURCE}
 * (epochs to train to, 0 for the program's own choice) and {@code STRATA_CHECKPOINT} (a path the
 * program may write a checkpoint to). The program prints JSON objects, one per line, on stdout;
 * the <em>last</em> such line holds the result, e.g. {@code {"accuracy": 0.93, "loss": 0.21}}: its
 * numeric members become the trial's metrics, and the objective metric must be among them.
 * Earlier lines with an {@code "epoch"} member are reported as learning-curve points (and the
 * trial is stopped, PRUNED, when the scheduler says so). Other output lines are ignored.
 *
 * <p><b>Outcomes.</b> Exit 0 with the metric: COMPLETED. A non-finite metric: DIVERGED. A non-zero
 * exit or a crash: FAILED, with the tail of stderr (last {@value #TAIL_LINES} lines, at most
 * {@value #TAIL_BYTES} characters) in the reason. No JSON line, or one without the metric:
 * FAILED with a reason naming what was printed. Timeout: FAILED; the whole process tree (every
 * descendant, then the process) is killed.
 *
 * <p>Immutable and thread-safe: each trial runs its own process.
 */
public final class CommandEvaluator implements TrialEvaluator {

  static final int TAIL_LINES = 20;
  static final int TAIL_BYTES = 2048;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectiveSource.Command command;
  private final String metric;
  private final Set<String> nested;

  /** An evaluator that writes configurations flat (a command without {@code "parameters": "nni"}). */
  public CommandEvaluator(ObjectiveSource.Command command, String metric) {
    this(command, metric, null);
  }

  /**
   * An evaluator over {@code space}: with {@code command.nni()}, its nested choices are written as
   * NNI's nested objects.
   */
  public CommandEvaluator(ObjectiveSource.Command command, String metric, SearchSpace space) {
    this.command = Objects.requireNonNull(command, "command");
    this.metric = Objects.requireNonNull(metric, "metric");
    this.nested = command.nni() && space != null ? NniSpaceReader.nestedChoices(space) : Set.of();
  }

  /** The text of the configuration file for a trial. */
  String configText(Configuration configuration) throws IOException {
    return nested.isEmpty() ? configuration.canonicalJson()
        : JSON.writeValueAsString(NniSpaceReader.nest(configuration.values(), nested));
  }

  @Override
  public TrialResult evaluate(Configuration configuration, TrialContext context) {
    long start = System.nanoTime();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("strata-trial-");
      Path config = dir.resolve("config.json");
      Files.writeString(config, configText(configuration), StandardCharsets.UTF_8);
      return run(config, context, start);
    } catch (IOException e) {
      return TrialResult.failed(TrialStatus.FAILED, "cannot start " + command.argv().getFirst() + ": " + e.getMessage());
    } finally {
      if (dir != null) {
        deleteQuietly(dir);
      }
    }
  }

  private TrialResult run(Path config, TrialContext context, long start) throws IOException {
    List<String> argv = new ArrayList<>(command.argv());
    String program = argv.getFirst();
    if (program.contains("/") && !Path.of(program).isAbsolute()) {
      argv.set(0, command.workdir().resolve(program).toString());
    }
    argv.add(config.toString());
    ProcessBuilder pb = new ProcessBuilder(argv).directory(command.workdir().toFile());
    Map<String, String> env = pb.environment();
    env.putAll(command.env());
    env.put("STRATA_CONFIG", config.toString());
    env.put("STRATA_TRIAL_ID", Long.toString(context.trialId()));
    env.put("STRATA_SEED", Long.toString(context.seed()));
    env.put("STRATA_RESOURCE", Integer.toString(context.resource()));
    env.put("STRATA_CHECKPOINT", context.checkpointPath().toString());
    context.resumeFrom().ifPresent(p -> env.put("STRATA_RESUME_FROM", p.toString()));

    Process process = pb.start();
    process.getOutputStream().close();
    AtomicReference<JsonNode> last = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    List<String> otherLines = new ArrayList<>();
    Thread out = Thread.ofVirtual().start(() -> readStdout(process.getInputStream(), last, otherLines, context,
        start, stopRequested));
    Deque<String> errTail = new ArrayDeque<>();
    Thread err = Thread.ofVirtual().start(() -> readTail(process.getErrorStream(), errTail));

    double timeout = command.timeoutSeconds() > 0 ? command.timeoutSeconds() : context.maxSeconds();
    long deadline = timeout > 0 ? start + (long) (timeout * 1e9) : Long.MAX_VALUE;
    boolean timedOut = false;
    boolean interrupted = false;
    try {
      while (true) {
        if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
          break;
        }
        if (System.nanoTime() > deadline) {
          timedOut = true;
          break;
        }
        if (context.shouldStop() || stopRequested.get()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted = true;
    }
    boolean killed = false;
    if (process.isAlive()) {
      killTree(process);
      killed = true;
    }
    join(out);
    join(err);
    double seconds = (System.nanoTime() - start) / 1e9;
    String tail = tail(errTail);

    if (timedOut) {
      return result(TrialStatus.FAILED, Map.of(), seconds, TrialClassification.timedOut(timeout,
          "the process tree was killed" + (tail.isEmpty() ? "" : "; stderr: " + tail)));
    }
    if (killed && stopRequested.get()) {
      Map<String, Double> metrics = numbers(last.get());
      return new TrialResult(TrialStatus.PRUNED, metrics, 0, 0, seconds, null, "stopped by the scheduler");
    }
    if (killed || interrupted) {
      return result(TrialStatus.INTERRUPTED, Map.of(), seconds, "the run is stopping");
    }
    int exit = process.exitValue();
    if (exit != 0) {
      return result(TrialStatus.FAILED, Map.of(), seconds, "exit code " + exit
          + (exit > 128 ? " (killed by signal " + (exit - 128) + ")" : "")
          + (tail.isEmpty() ? "; stderr was empty" : "; stderr: " + tail));
    }
    JsonNode result = last.get();
    if (result == null) {
      String printed = otherLines.isEmpty() ? "nothing on stdout"
          : "'" + clip(otherLines.getLast(), 120) + "' as its last line";
      return result(TrialStatus.FAILED, Map.of(), seconds, "the program printed no JSON object line (it printed "
          + printed + "); print the result as the last line, e.g. {\"" + metric + "\": 0.93}");
    }
    Map<String, Double> metrics = numbers(result);
    JsonNode value = result.get(metric);
    if (value == null) {
      return result(TrialStatus.FAILED, metrics, seconds, "the last JSON line has no '" + metric + "' (it has "
          + String.join(", ", iterable(result)) + "); print {\"" + metric + "\": VALUE}");
    }
    if (!value.isNumber()) {
      if (value.isTextual() && value.asText().matches("(?i)[+-]?(nan|inf|infinity)")) {
        return result(TrialStatus.DIVERGED, metrics, seconds, "'" + metric + "' is " + value.asText());
      }
      return result(TrialStatus.FAILED, metrics, seconds, "'" + metric + "' is " + value + ", not a number");
    }
    if (!Double.isFinite(value.asDouble())) {
      return result(TrialStatus.DIVERGED, metrics, seconds, "'" + metric + "' is " + value.asDouble());
    }
    return new TrialResult(TrialStatus.COMPLETED, metrics, 0, 0, seconds, null, "");
  }

  private void readStdout(InputStream in, AtomicReference<JsonNode> last, List<String> others, TrialContext context,
      long start, AtomicBoolean stop) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String t = line.strip();
        JsonNode node = null;
        if (t.startsWith("{") && t.endsWith("}")) {
          try {
            node = JSON.readTree(t);
          } catch (IOException e) {
            node = null;
          }
        }
        if (node == null || !node.isObject()) {
          synchronized (others) {
            others.add(t);
            if (others.size() > 1) {
              others.removeFirst();
            }
          }
          continue;
        }
        last.set(node);
        JsonNode epoch = node.get("epoch");
        if (epoch != null && epoch.isNumber() && !stop.get()) {
          double value = node.path(metric).asDouble(Double.NaN);
          boolean goOn = context.reportEpoch(epoch.asInt(), node.path("loss").asDouble(Double.NaN),
              node.path("val_loss").asDouble(Double.NaN), value, (System.nanoTime() - start) / 1e9);
          if (!goOn) {
            stop.set(true);
          }
        }
      }
    } catch (IOException e) {
      // the process was killed; what was read stands
    }
  }

  private static void readTail(InputStream in, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line.length() > TAIL_BYTES ? line.substring(line.length() - TAIL_BYTES) : line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // killed
    }
  }

  /** The last lines of stderr, joined with " | ", at most {@value #TAIL_BYTES} characters. */
  static String tail(Deque<String> lines) {
    String joined;
    synchronized (lines) {
      joined = String.join(" | ", lines.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
    return joined.length() > TAIL_BYTES ? "..." + joined.substring(joined.length() - TAIL_BYTES) : joined;
  }

  /**
   * Kills a process and every descendant: the descendants are listed first (once the parent is
   * dead its children are re-parented and no longer found), each is killed forcibly, then the
   * process itself; waits up to five seconds for all of them to go.
   */
  public static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.toHandle().destroyForcibly();
    for (ProcessHandle h : descendants) {
      h.destroyForcibly();
    }
    // A child may have forked after the listing: sweep once more.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
      for (ProcessHandle h : descendants) {
        long left = until - System.nanoTime();
        if (left > 0) {
          h.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // best effort
    }
  }

  private static Map<String, Double> numbers(JsonNode node) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (node != null) {
      node.properties().forEach(e -> {
        if (e.getValue().isNumber() && Double.isFinite(e.getValue().asDouble())) {
          out.put(e.getKey(), e.getValue().asDouble());
        }
      });
    }
    return out;
  }

  private static List<String> iterable(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? List.of("no members") : names;
  }

  private static TrialResult result(TrialStatus status, Map<String, Double> metrics, double seconds, String reason) {
    return new TrialResult(status, metrics, 0, 0, seconds, null, reason);
  }

  private static void join(Thread t) {
    try {
      t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "...";
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
