package dev.strata.trainer.train;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A content hash of a data split: SHA-256 over, for train, validation and test in turn, the row,
 * feature and output counts (int32), the features (float32), then the labels (int32) or targets
 * (float32), all little-endian. Names are not hashed. Thread-safe.
 *
 * <p>A split's hash is computed once per JVM and remembered while the split is reachable (datasets
 * are immutable): a training asks for it at start, at every checkpoint and in its provenance, and a
 * search trains many networks on one split. On Fashion-MNIST each SHA-256 pass reads 190 MB.
 */
public final class DatasetHash {

  /** Weak keys: a split that is no longer used leaves the cache with its arrays. */
  private static final Map<DataSplit, String> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

  private DatasetHash() {}

  /** {@code "sha256:" + 64 hex digits}. */
  public static String of(DataSplit split) {
    String known = CACHE.get(split);
    if (known != null) {
      return known;
    }
    String hash = compute(split);
    CACHE.put(split, hash);
    return hash;
  }

  private static String compute(DataSplit split) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Dataset d : new Dataset[] {split.train(), split.validation(), split.test()}) {
      put(md, buf, d.rows());
      put(md, buf, d.features());
      put(md, buf, d.outputs());
      for (float v : d.x()) {
        put(md, buf, Float.floatToRawIntBits(v));
      }
      if (d.labels() != null) {
        for (int v : d.labels()) {
          put(md, buf, v);
        }
      } else {
        for (float v : d.targets()) {
          put(md, buf, Float.floatToRawIntBits(v));
        }
      }
      flush(md, buf);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  private static void put(MessageDigest md, ByteBuffer buf, int v) {
    if (buf.remaining() < 4) {
      flush(md, buf);
    }
    buf.putInt(v);
  }

  private static void flush(MessageDigest md, ByteBuffer buf) {
    buf.flip();
    md.update(buf);
    buf.clear();
  }
}
