package dev.strata.dashboard;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
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

  /** The trials of {@link ComparisonSeriesTest#knownTrials()} as a minimised run named "known". */
  static InMemoryRun knownComparison() {
    InMemoryRun run = new InMemoryRun("known", "loss", Direction.MINIMIZE);
    for (StudyRecord s : ComparisonSeriesTest.knownStudies()) {
      run.addStudy(s.strategy(), s.seed(), s.budgetTrials());
    }
    add(run, ComparisonSeriesTest.knownTrials().stream()
        .sorted(java.util.Comparator.comparingLong(TrialRecord::id)).toList());
    run.setState("finished");
    return run;
  }

  /** The trials of {@link ParetoFrontTest#known()} as a maximised run named "pareto". */
  static InMemoryRun knownPareto() {
    InMemoryRun run = new InMemoryRun("pareto", "val_accuracy", Direction.MAXIMIZE);
    run.addStudy("random", 1, 10);
    add(run, ParetoFrontTest.known());
    run.setState("finished");
    return run;
  }

  private static void add(InMemoryRun run, List<TrialRecord> trials) {
    for (TrialRecord t : trials) {
      long id = run.startTrial(t.studyId(), t.index(), Configuration.of(Map.of("x", t.index())), null);
      if (id != t.id()) {
        throw new IllegalStateException("known trials must be added in id order");
      }
      if (t.status().isFinished()) {
        run.finishTrial(id, t.status(), t.value(), t.parameters(), t.trainSeconds(), "");
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
}
