package dev.strata.dashboard;

import dev.strata.runs.RunEvent;
import java.util.Objects;

/**
 * One run event rendered once as a server-sent-events frame, shared by every client. Immutable.
 *
 * <p>The frame is {@code id: ID}, {@code event: TYPE} and one {@code data:} line holding {@code
 * {"id":ID,"type":TYPE,"time":ISO,"data":PAYLOAD}}, then a blank line. The payload's line breaks
 * (whitespace only, in JSON) are replaced with spaces so that it stays on one line.
 */
record SseFrame(long id, String text) {

  SseFrame {
    Objects.requireNonNull(text, "text");
  }

  static SseFrame of(RunEvent e) {
    String payload = e.json().isBlank() ? "{}" : e.json().replace('\r', ' ').replace('\n', ' ');
    String type = e.type().replaceAll("[\\r\\n:]", "_");
    String data = "{\"id\":" + e.id() + ",\"type\":" + quote(type) + ",\"time\":\"" + e.time() + "\",\"data\":" + payload + "}";
    return new SseFrame(e.id(), "id: " + e.id() + "\nevent: " + type + "\ndata: " + data + "\n\n");
  }

  /** The frame telling a client it fell behind: reconnect and catch up from {@code lastId}. */
  static String resync(long lastId) {
    return "id: " + lastId + "\nevent: resync\ndata: {\"lastEventId\":" + lastId + ",\"reason\":\"client too slow: reconnect to catch up\"}\n\n";
  }

  /** A resync frame with the reason given. */
  static String resync(long lastId, String reason) {
    return "id: " + lastId + "\nevent: resync\ndata: {\"lastEventId\":" + lastId + ",\"reason\":" + quote(reason) + "}\n\n";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
