package dev.strata.experiments.cluster;

import dev.strata.trainer.data.Dataset;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Serves the experiment's raw dataset to workers in chunks, once per worker (they cache it by
 * content hash). Immutable once built; answers on the event loop without blocking.
 */
final class DatasetServer {

  static final int CHUNK = 4 << 20;

  private final String hash;
  private final byte[] bytes;

  /** Encodes {@code dataset}; null serves nothing (objectives without a dataset). */
  DatasetServer(Dataset dataset) {
    this.hash = dataset == null ? null : dataset.hash();
    this.bytes = dataset == null ? null : DatasetCodec.encode(dataset);
  }

  /** What a registering worker is told about the dataset, or null when there is none. */
  JsonObject describe() {
    return hash == null ? null : new JsonObject().put("hash", hash).put("size", bytes.length);
  }

  /** Answers one chunk request: {@code {hash, offset, length}}. */
  void serve(JsonObject body, Message<Buffer> m, MessageAuth auth) {
    if (hash == null || !hash.equals(body.getString("hash"))) {
      m.fail(404, "the coordinator has no dataset " + body.getString("hash"));
      return;
    }
    int offset = Math.min(Math.max(0, body.getInteger("offset", 0)), bytes.length);
    int length = Math.min(CHUNK, Math.max(0, Math.min(body.getInteger("length", CHUNK), bytes.length - offset)));
    Buffer chunk = Buffer.buffer(length);
    chunk.appendBytes(bytes, offset, length);
    m.reply(chunk, auth.reply(m.headers(), chunk));
  }
}
