package dev.strata.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes immutable objects (event frames, lists of them, JSON already rendered) between the
 * dashboard's verticles by reference, without the copy the default codecs make. Local only: the
 * dashboard's event-bus addresses are never clustered.
 */
final class LocalCodec implements MessageCodec<Object, Object> {

  static final String NAME = "strata-dashboard-local";

  static final DeliveryOptions LOCAL = new DeliveryOptions().setCodecName(NAME).setLocalOnly(true);

  /** Registers the codec once per event bus. */
  static void register(EventBus bus) {
    try {
      bus.registerCodec(new LocalCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another dashboard on the same Vert.x instance registered it
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Object o) {
    throw new UnsupportedOperationException("dashboard messages stay local");
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("dashboard messages stay local");
  }

  @Override
  public Object transform(Object o) {
    return o;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
