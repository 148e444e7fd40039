package dev.strata.experiments.cluster;

import dev.strata.experiments.run.TrialResult;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coordinator's event-bus addresses and the JSON form of what travels on them. Every message
 * is a request from a worker to the coordinator (workers pull); the coordinator never calls a
 * worker. Bodies are UTF-8 JSON objects (dataset chunks are raw bytes). Doubles travel as their
 * {@link Double#toString} text so that every bit, NaN and the infinities survive the trip.
 *
 * <p>A task names its experiment by {@link #experimentId} (SHA-256 of the experiment JSON): a
 * worker trains only tasks of the experiment it registered for and built its evaluator from, so
 * a stray or forged task can never make it run another objective (another command, say).
 *
 * <pre>
 *   register  {name, node, host, threads, version, pid}     -> {session, experiment, experimentId, dataset?,
 *                                                               heartbeatMs, pullWaitMs}
 *   pull      {session}                                     -> {task?} or {error: "unknown-session"}
 *   epoch     {session, lease, epoch, trainLoss, valLoss, valMetric, seconds} -> {continue}
 *   result    {session, lease, result, checkpoint?}         -> {accepted}
 *   heartbeat {session, leases: [...]}                      -> {known, cancel: [...]}
 *   dataset   {hash, offset, length}                        -> bytes
 *   leave     {session}                                     -> {}
 * </pre>
 *
 * Stateless.
 */
final class Protocol {

  static final String REGISTER = "register";
  static final String PULL = "pull";
  static final String EPOCH = "epoch";
  static final String RESULT = "result";
  static final String HEARTBEAT = "heartbeat";
  static final String DATASET = "dataset";
  static final String LEAVE = "leave";

  /** Error code of a failed reply: the message did not pass {@link MessageAuth}. */
  static final int REJECTED = 403;

  /** Error code: the worker runs another Strata version. */
  static final int VERSION_MISMATCH = 409;

  private Protocol() {}

  /** The address of one coordinator endpoint of a cluster. */
  static String address(String cluster, String endpoint) {
    return "strata." + cluster + ".coordinator." + endpoint;
  }

  /**
   * One trial as handed to a worker. The seed travels with it: a trial gives the same metrics
   * wherever it runs. {@code experiment} is the {@link #experimentId} it belongs to.
   */
  record Task(String lease, String experiment, long trialId, long seed, int resource, double maxSeconds,
      String configuration, byte[] resumeFrom) {}

  /** The identity of an experiment as workers check it: the hex SHA-256 of its JSON text. */
  static String experimentId(String experimentJson) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(experimentJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  static JsonObject toJson(Task t) {
    JsonObject o = new JsonObject().put("lease", t.lease()).put("experiment", t.experiment())
        .put("trialId", t.trialId()).put("seed", t.seed())
        .put("resource", t.resource()).put("maxSeconds", d(t.maxSeconds())).put("configuration", t.configuration());
    if (t.resumeFrom() != null) {
      o.put("resumeFrom", Base64.getEncoder().encodeToString(t.resumeFrom()));
    }
    return o;
  }

  static Task task(JsonObject o) {
    String resume = o.getString("resumeFrom");
    return new Task(o.getString("lease"), o.getString("experiment", ""), o.getLong("trialId"), o.getLong("seed"),
        o.getInteger("resource"),
        d(o.getString("maxSeconds")), o.getString("configuration"),
        resume == null ? null : Base64.getDecoder().decode(resume));
  }

  static JsonObject toJson(TrialResult r) {
    JsonObject metrics = new JsonObject();
    r.metrics().forEach((k, v) -> metrics.put(k, d(v)));
    JsonObject o = new JsonObject().put("status", r.status().name()).put("metrics", metrics)
        .put("parameters", r.parameters()).put("flops", d(r.flops())).put("trainSeconds", d(r.trainSeconds()))
        .put("reason", r.reason());
    if (r.networkSpecJson() != null) {
      o.put("networkSpec", r.networkSpecJson());
    }
    return o;
  }

  static TrialResult result(JsonObject o) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    o.getJsonObject("metrics", new JsonObject()).forEach(e -> metrics.put(e.getKey(), d((String) e.getValue())));
    return new TrialResult(TrialStatus.valueOf(o.getString("status")), metrics, o.getLong("parameters", 0L),
        d(o.getString("flops", "0.0")), d(o.getString("trainSeconds", "0.0")), o.getString("networkSpec"),
        o.getString("reason", ""));
  }

  static String d(double v) {
    return Double.toString(v);
  }

  static double d(String s) {
    return s == null ? Double.NaN : Double.parseDouble(s);
  }
}
