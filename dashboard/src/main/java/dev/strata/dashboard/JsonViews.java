package dev.strata.dashboard;

import dev.strata.runs.RunEvent;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.prescreen.ProxyCorrelation;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shapes of the API, from the trial model. Stateless. Numbers that are not finite (NaN,
 * infinities) become {@code null}, since JSON has no such numbers.
 */
final class JsonViews {

  private JsonViews() {}

  static Object num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  static JsonObject study(StudyRecord s) {
    return new JsonObject()
        .put("id", s.id())
        .put("strategy", s.strategy())
        .put("seed", s.seed())
        .put("label", s.label())
        .put("budgetTrials", s.budgetTrials())
        .put("options", new JsonObject(safeMap(s.options())));
  }

  /** A leaderboard row: everything but the configuration's nested parts stays small. */
  static JsonObject trialRow(TrialRecord t, StudyRecord study) {
    JsonObject metrics = new JsonObject();
    t.metrics().forEach((k, v) -> metrics.put(k, num(v)));
    JsonObject o = new JsonObject()
        .put("id", t.id())
        .put("studyId", t.studyId())
        .put("strategy", study == null ? null : study.strategy())
        .put("seed", study == null ? null : study.seed())
        .put("index", t.index())
        .put("status", t.status().name().toLowerCase(Locale.ROOT))
        .put("value", num(t.value()))
        .put("metrics", metrics)
        .put("parameters", t.parameters())
        .put("flops", num(t.flops()))
        .put("trainSeconds", num(t.trainSeconds()))
        .put("started", time(t.started()))
        .put("finished", time(t.finished()))
        .put("worker", t.worker())
        .put("reason", t.reason())
        .put("configId", t.configuration().id());
    JsonObject proxies = new JsonObject();
    ProxyCorrelation.scoresOf(t.tags()).forEach((k, v) -> proxies.put(k, num(v)));
    if (!proxies.isEmpty()) {
      o.put("proxies", proxies); // pre-screened trials only: other rows stay as they were
    }
    return o;
  }

  /** A worker as of {@code nowMillis}; {@code heartbeatAgeSeconds} is null when it never sent one. */
  static JsonObject worker(WorkerRecord w, long nowMillis) {
    JsonArray current = new JsonArray();
    w.currentTrials().forEach(current::add);
    return new JsonObject()
        .put("name", w.name())
        .put("host", w.host())
        .put("threads", w.threads())
        .put("trialsDone", w.trialsDone())
        .put("currentTrials", current)
        .put("lastHeartbeat", w.lastHeartbeatMs() > 0 ? Instant.ofEpochMilli(w.lastHeartbeatMs()).toString() : null)
        .put("heartbeatAgeSeconds", w.lastHeartbeatMs() > 0 ? Math.max(0, nowMillis - w.lastHeartbeatMs()) / 1000.0 : null)
        .put("state", w.state())
        .put("local", w.local());
  }

  static JsonObject epoch(EpochRecord e) {
    return new JsonObject()
        .put("epoch", e.epoch())
        .put("trainLoss", num(e.trainLoss()))
        .put("valLoss", num(e.valLoss()))
        .put("valMetric", num(e.valMetric()))
        .put("seconds", num(e.seconds()));
  }

  static JsonArray curve(List<EpochRecord> curve) {
    JsonArray a = new JsonArray();
    curve.forEach(e -> a.add(epoch(e)));
    return a;
  }

  static JsonObject event(RunEvent e) {
    return new JsonObject().put("id", e.id()).put("type", e.type()).put("time", time(e.time())).put("data", parseOrText(e.json()));
  }

  /** A JSON object or array from text, or the text itself when it is not JSON. */
  static Object parseOrText(String json) {
    if (json == null) {
      return null;
    }
    String s = json.strip();
    try {
      if (s.startsWith("{")) {
        return new JsonObject(s);
      }
      if (s.startsWith("[")) {
        return new JsonArray(s);
      }
    } catch (DecodeException e) {
      // fall through: show it as text
    }
    return json;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> safeMap(Map<String, ?> map) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, safeValue(v)));
    return out;
  }

  private static Object safeValue(Object v) {
    if (v instanceof Double d) {
      return num(d);
    }
    if (v instanceof Float f) {
      return num(f);
    }
    if (v instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, ?> mm = (Map<String, ?>) m;
      return new JsonObject(safeMap(mm));
    }
    if (v instanceof List<?> l) {
      JsonArray a = new JsonArray();
      l.forEach(e -> a.add(safeValue(e)));
      return a;
    }
    return v;
  }
}
