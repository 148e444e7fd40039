package dev.strata.dashboard;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The trial page's analyses at initialisation, computed on demand by a {@link NetworkInspector}
 * and kept: a trial's stored network never changes, so each is computed once. Bounded: one
 * analysis at a time (a request waits at most {@value #WAIT_SECONDS} s for the one before it, then
 * gets 503), and the last {@value #CACHED} answers (refusals included) kept. Thread-safe.
 */
final class TrialAnalyses {

  static final int CACHED = 64;
  static final int WAIT_SECONDS = 10;

  private final Optional<NetworkInspector> inspector;
  private final Semaphore one = new Semaphore(1, true);
  private final Map<String, JsonObject> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > CACHED;
    }
  };

  TrialAnalyses(Optional<NetworkInspector> inspector) {
    this.inspector = inspector;
  }

  /**
   * The analysis of trial {@code id} of run {@code run}, whose stored network spec is {@code
   * network}: the inspector's JSON object plus {@code trial}, or {@code {trial, error}} when the
   * inspector refused it.
   */
  JsonObject of(String run, long id, String network) {
    NetworkInspector in = inspector.orElseThrow(() -> new ApiException(404,
        "this dashboard analyses no networks (started without an inspector)"));
    String key = run + '\u0000' + id;
    JsonObject cached = cached(key);
    if (cached != null) {
      return cached;
    }
    try {
      if (!one.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new ApiException(503, "another network is being analysed; try again in a moment");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting to analyse the network");
    }
    try {
      cached = cached(key); // computed while this request waited
      if (cached != null) {
        return cached;
      }
      JsonObject answer;
      try {
        answer = new JsonObject(in.inspect(network)).put("trial", id);
      } catch (IllegalArgumentException | DecodeException e) {
        answer = new JsonObject().put("trial", id).put("error", String.valueOf(e.getMessage()));
      }
      synchronized (cache) {
        cache.put(key, answer);
      }
      return answer;
    } finally {
      one.release();
    }
  }

  private JsonObject cached(String key) {
    synchronized (cache) {
      return cache.get(key);
    }
  }
}
