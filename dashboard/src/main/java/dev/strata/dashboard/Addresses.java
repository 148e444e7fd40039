package dev.strata.dashboard;

/**
 * The event-bus addresses of one dashboard instance. Immutable. Every address starts with a
 * per-instance prefix, so two dashboards can share one Vert.x instance.
 *
 * <ul>
 *   <li>{@link #api()}: requests {@code {"action": ..., "run": ..., ...}} handled by the {@link
 *       ApiVerticle}; replies are rendered JSON {@code Buffer}s or lists of {@link SseFrame}s,
 *       failures carry the HTTP status as failure code.
 *   <li>{@link #watch()} / {@link #unwatch()}: {@code {"run": NAME}} to the {@link EventsVerticle},
 *       which starts or stops following a run; the watch reply is {@code {"lastId": N}}.
 *   <li>{@link #events(String)}: the run's {@link SseFrame}s, published in id order, no gaps.
 * </ul>
 */
record Addresses(String prefix) {

  String api() {
    return prefix + ".api";
  }

  String watch() {
    return prefix + ".events.watch";
  }

  String unwatch() {
    return prefix + ".events.unwatch";
  }

  String events(String run) {
    return prefix + ".events.run." + run;
  }
}
