package dev.strata.dashboard;

import dev.strata.runs.RunState;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** Runs with known contents, and a small HTTP helper, shared by the server tests. */
final class TestRuns {

  private TestRuns() {}

  /** A finished run: 2 strategies × 2 seeds × 40 trials of the fake experiment. */
  static InMemoryRun alpha() {
    return FakeExperiment.finished("alpha", 40, List.of("random", "evolution"), List.of(1L, 2L), 7);
  }

  /** Three seeds of one strategy, minimised (best-so-far 5,3,3,3 / 4,4,1 / -,2), as a run named "known". */
  static InMemoryRun knownComparison() {
    InMemoryRun run = new InMemoryRun("known", "loss", Direction.MINIMIZE);
    for (StudyRecord s : knownStudies()) {
      run.addStudy(s.strategy(), s.seed(), s.budgetTrials());
    }
    add(run, knownTrials().stream()
        .sorted(java.util.Comparator.comparingLong(TrialRecord::id)).toList());
    run.setState(RunState.FINISHED);
    return run;
  }

  static TrialRecord paretoTrial(long id, long params, double value, TrialStatus status) {
    return new TrialRecord(id, 1, (int) id, Configuration.of(Map.of("i", id)), status, value, Map.of(), params, 0, 1,
        null, null, "", "", Map.of());
  }

  /**
   * Maximised, by (params, value): the front is 5, 1, 2, 7 (an exact tie with 2), 6; trial 11 would
   * dominate them all but broke a constraint.
   */
  static List<TrialRecord> knownParetoTrials() {
    return List.of(
        paretoTrial(1, 100, 0.5, TrialStatus.COMPLETED),
        paretoTrial(2, 200, 0.7, TrialStatus.COMPLETED),
        paretoTrial(3, 150, 0.4, TrialStatus.COMPLETED), // dominated by 1
        paretoTrial(4, 300, 0.7, TrialStatus.COMPLETED), // dominated by 2
        paretoTrial(5, 50, 0.3, TrialStatus.COMPLETED),
        paretoTrial(6, 400, 0.9, TrialStatus.COMPLETED),
        paretoTrial(7, 200, 0.7, TrialStatus.COMPLETED), // exact tie with 2
        paretoTrial(8, 10, Double.NaN, TrialStatus.FAILED),
        paretoTrial(9, 20, 0.99, TrialStatus.PRUNED), // not completed
        paretoTrial(10, 0, 0.95, TrialStatus.COMPLETED), // no parameter count
        new TrialRecord(11, 1, 11, Configuration.of(Map.of("i", 11L)), TrialStatus.COMPLETED, 0.999,
            Map.of(dev.strata.search.trial.Objectives.VIOLATION, 0.2), 5, 0, 1, null, null, "",
            "infeasible: latency_ms_b1 0.06 breaks latency_ms_b1 <= 0.05", Map.of()));
  }

  /** The trials of {@link #knownParetoTrials()} as a maximised run named "pareto". */
  static InMemoryRun knownPareto() {
    InMemoryRun run = new InMemoryRun("pareto", "val_accuracy", Direction.MAXIMIZE);
    run.addStudy("random", 1, 10);
    add(run, knownParetoTrials());
    run.setState(RunState.FINISHED);
    return run;
  }

  /**
   * A cluster run named "cluster": workers local-1 (local), gpu-a (remote, active, 4 threads,
   * training trials 3 and 4, heartbeat 12 s before {@code nowMillis}) and cpu-b (remote, lost 10
   * min ago); trial 1 ran on gpu-a, trial 2 on local-1.
   */
  static InMemoryRun cluster(long nowMillis) {
    InMemoryRun run = new InMemoryRun("cluster", "val_accuracy", Direction.MAXIMIZE);
    run.addStudy("random", 1, 10);
    String[] on = {"gpu-a", "local-1", "gpu-a", "gpu-a"};
    for (int i = 0; i < on.length; i++) {
      long id = run.startTrial(1, i, Configuration.of(Map.of("x", i)), null, on[i]);
      if (i < 2) {
        run.finishTrial(id, TrialStatus.COMPLETED, 0.5 + i / 10.0, 1000, 2.0, "");
      }
    }
    run.setWorkers(List.of(
        new WorkerRecord("local-1", "coordinator", 1, 1, List.of(), nowMillis - 1000, "active", true),
        new WorkerRecord("gpu-a", "gpu-a.lab", 4, 17, List.of(3L, 4L), nowMillis - 12_000, "active", false),
        new WorkerRecord("cpu-b", "cpu-b.lab", 2, 5, List.of(), nowMillis - 600_000, "lost", false)));
    return run;
  }

  /** A maximised run named "climb": one study whose every one of {@code n} trials beats the one before. */
  static InMemoryRun climb(int n) {
    InMemoryRun run = new InMemoryRun("climb", "score", Direction.MAXIMIZE);
    run.addStudy("random", 1, n);
    for (int i = 0; i < n; i++) {
      long id = run.startTrial(1, i, Configuration.of(Map.of("x", i)), null);
      run.finishTrial(id, TrialStatus.COMPLETED, i, 100, 1.0, "");
    }
    run.setState(RunState.FINISHED);
    return run;
  }

  static void add(InMemoryRun run, List<TrialRecord> trials) {
    for (TrialRecord t : trials) {
      long id = run.startTrial(t.studyId(), t.index(), Configuration.of(Map.of("x", t.index())), null);
      if (id != t.id()) {
        throw new IllegalStateException("known trials must be added in id order");
      }
      if (t.status().isFinished()) {
        run.finishTrial(id, t.status(), t.value(), t.parameters(), t.trainSeconds(), t.reason(), t.metrics());
      }
    }
  }

  record Response(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    JsonArray jsonArray() {
      return body.toJsonArray();
    }
  }

  /** Sends a request with the path exactly as given (no normalisation) and reads the whole body. */
  static Future<Response> send(HttpClient client, int port, HttpMethod method, String uri, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(method).setURI(uri);
    headers.forEach(options::putHeader);
    // The body handler is attached before the request goes out, so it is in place when the
    // response arrives on the event loop, whichever thread called this.
    return client.request(options).compose(req -> {
      Future<Response> response = req.response()
          .compose(resp -> resp.body().map(body -> new Response(resp.statusCode(), resp.headers(), body)));
      req.end();
      return response;
    });
  }

  static Future<Response> get(HttpClient client, int port, String uri) {
    return send(client, port, HttpMethod.GET, uri, Map.of());
  }

  static HttpClient client(Vertx vertx) {
    return vertx.createHttpClient();
  }

  /** The fixture of search-core's BestSoFarTest: three seeds of one strategy, minimised. */
  static List<TrialRecord> knownTrials() {
    List<TrialRecord> t = new java.util.ArrayList<>();
    t.add(trial(1, 1, 0, TrialStatus.COMPLETED, 5, 10));
    t.add(trial(2, 1, 1, TrialStatus.COMPLETED, 3, 10));
    t.add(trial(3, 1, 2, TrialStatus.FAILED, Double.NaN, 10));
    t.add(trial(4, 1, 3, TrialStatus.COMPLETED, 4, 10));
    t.add(trial(7, 2, 2, TrialStatus.COMPLETED, 1, 10)); // out of order on purpose
    t.add(trial(5, 2, 0, TrialStatus.COMPLETED, 4, 10));
    t.add(trial(6, 2, 1, TrialStatus.COMPLETED, 6, 10));
    t.add(trial(8, 3, 0, TrialStatus.DIVERGED, Double.NaN, 10));
    t.add(trial(9, 3, 1, TrialStatus.COMPLETED, 2, 10));
    t.add(trial(10, 3, 2, TrialStatus.RUNNING, Double.NaN, 0)); // not finished: ignored
    return t;
  }

  static List<StudyRecord> knownStudies() {
    return List.of(new StudyRecord(1, "random", 1, 4, java.util.Map.of()), new StudyRecord(2, "random", 2, 4, java.util.Map.of()),
        new StudyRecord(3, "random", 3, 4, java.util.Map.of()));
  }

  private static TrialRecord trial(long id, long study, int index, TrialStatus status, double value, double seconds) {
    return new TrialRecord(id, study, index, dev.strata.search.trial.Configuration.of(java.util.Map.of("x", index)), status,
        value, java.util.Map.of(), 100, 0, seconds, null, null, "", "", java.util.Map.of());
  }
}
