package dev.strata.experiments.cluster;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks cluster messages.
 *
 * <p>Every message carries three headers: {@value #CLUSTER} (the cluster name), {@value #TIME}
 * (milliseconds since the epoch) and {@value #NONCE} (random). With a shared secret it also
 * carries {@value #SIGNATURE}:
 *
 * <pre>
 *   signature = hex(HMAC-SHA256(secret, cluster \n label \n time \n nonce \n body))
 * </pre>
 *
 * where {@code label} is the destination address for a request and {@code reply:} + the request's
 * nonce for a reply (so a reply cannot be replayed as the answer to another request). A message
 * is rejected when its cluster name differs, its signature is missing or wrong (compared in
 * constant time), or its time is more than {@value #MAX_SKEW_MS} ms away from this machine's
 * clock. Without a secret only the cluster name is checked: anyone who can reach the ports can
 * talk to the cluster.
 *
 * <p>Immutable and thread-safe.
 */
final class MessageAuth {

  static final String CLUSTER = "strata-cluster";
  static final String TIME = "strata-time";
  static final String NONCE = "strata-nonce";
  static final String SIGNATURE = "strata-signature";
  static final long MAX_SKEW_MS = 5 * 60_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String cluster;
  private final byte[] secret;

  MessageAuth(String cluster, String secret) {
    this.cluster = cluster;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  boolean signs() {
    return secret != null;
  }

  /** Delivery options for a request to {@code address} with the given body. */
  DeliveryOptions request(String address, Buffer body, long timeoutMs) {
    return headers(address, body).setSendTimeout(timeoutMs);
  }

  /** Delivery options for the reply to a request that carried {@code requestHeaders}. */
  DeliveryOptions reply(MultiMap requestHeaders, Buffer body) {
    return headers(replyLabel(requestHeaders), body);
  }

  private DeliveryOptions headers(String label, Buffer body) {
    String time = Long.toString(System.currentTimeMillis());
    byte[] n = new byte[12];
    RANDOM.nextBytes(n);
    String nonce = HexFormat.of().formatHex(n);
    DeliveryOptions o = new DeliveryOptions().addHeader(CLUSTER, cluster).addHeader(TIME, time).addHeader(NONCE, nonce);
    if (secret != null) {
      o.addHeader(SIGNATURE, sign(label, time, nonce, body));
    }
    return o;
  }

  static String replyLabel(MultiMap requestHeaders) {
    return "reply:" + requestHeaders.get(NONCE);
  }

  /** Null when the message may be trusted, else why not. */
  String check(String label, MultiMap headers, Buffer body) {
    if (!cluster.equals(headers.get(CLUSTER))) {
      return "cluster name '" + headers.get(CLUSTER) + "' is not '" + cluster + "'";
    }
    if (secret == null) {
      return null;
    }
    String time = headers.get(TIME);
    String nonce = headers.get(NONCE);
    String signature = headers.get(SIGNATURE);
    if (time == null || nonce == null || signature == null) {
      return "unsigned message (this cluster has a secret)";
    }
    long t;
    try {
      t = Long.parseLong(time);
    } catch (NumberFormatException e) {
      return "bad time header";
    }
    if (Math.abs(System.currentTimeMillis() - t) > MAX_SKEW_MS) {
      return "message time is more than " + MAX_SKEW_MS / 1000 + " s off (clocks out of sync, or a replay)";
    }
    byte[] expected = sign(label, time, nonce, body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
      return "bad signature (a different cluster secret?)";
    }
    return null;
  }

  private String sign(String label, String time, String nonce, Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((cluster + "\n" + label + "\n" + time + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        mac.update(body.getBytes());
      }
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }
}
