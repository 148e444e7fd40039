package dev.strata.experiments.cluster;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.Test;

class MessageAuthTest {

  private static final String SECRET = "0123456789abcdef0123";
  private final MessageAuth auth = new MessageAuth("c1", SECRET);
  private final Buffer body = Buffer.buffer("{\"session\":\"s\"}");

  @Test
  void aSignedRequestPassesAndAnyChangeFails() {
    DeliveryOptions o = auth.request("strata.c1.coordinator.pull", body, 1000);
    MultiMap h = o.getHeaders();
    assertNull(auth.check("strata.c1.coordinator.pull", h, body));
    assertNotNull(auth.check("strata.c1.coordinator.result", h, body), "another address");
    assertNotNull(auth.check("strata.c1.coordinator.pull", h, Buffer.buffer("{\"session\":\"t\"}")), "another body");
    assertNotNull(new MessageAuth("c1", "another-secret-0123456").check("strata.c1.coordinator.pull", h, body));
    assertNotNull(new MessageAuth("c2", SECRET).check("strata.c1.coordinator.pull", h, body), "another cluster");
  }

  @Test
  void unsignedMessagesAreRefusedWhenASecretIsSet() {
    DeliveryOptions o = new MessageAuth("c1", null).request("a", body, 1000);
    assertTrue(auth.check("a", o.getHeaders(), body).contains("unsigned"));
    assertNull(new MessageAuth("c1", null).check("a", o.getHeaders(), body), "without a secret the name is enough");
  }

  @Test
  void aReplyIsBoundToItsRequest() {
    DeliveryOptions request = auth.request("a", body, 1000);
    DeliveryOptions other = auth.request("a", body, 1000);
    Buffer answer = Buffer.buffer("{\"accepted\":true}");
    DeliveryOptions reply = auth.reply(request.getHeaders(), answer);
    assertNull(auth.check(MessageAuth.replyLabel(request.getHeaders()), reply.getHeaders(), answer));
    assertNotNull(auth.check(MessageAuth.replyLabel(other.getHeaders()), reply.getHeaders(), answer));
  }

  @Test
  void oldMessagesAreRefused() {
    DeliveryOptions o = auth.request("a", body, 1000);
    MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(o.getHeaders());
    h.set(MessageAuth.TIME, Long.toString(System.currentTimeMillis() - MessageAuth.MAX_SKEW_MS - 1000));
    assertNotNull(auth.check("a", h, body));
  }
}
