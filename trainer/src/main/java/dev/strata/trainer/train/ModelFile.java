package dev.strata.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.data.DataRecipe;
import dev.strata.trainer.data.InputSchema;
import dev.strata.trainer.data.Preprocessor;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.nn.ParameterStore;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import dev.strata.trainer.spec.SpecException;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The single-file model format (documented in {@code docs/model-format.md}):
 *
 * <pre>
 *   bytes 0..7    magic "STRATANN" (ASCII)
 *   bytes 8..11   format version, int32 little-endian (2; version 1 files are still read)
 *   bytes 12..15  header length H, int32 little-endian
 *   next H bytes  UTF-8 JSON header: format, version, spec, provenance, [input, preprocessing, data],
 *                 parameter and state tensor tables
 *   then          parameters.count float32 little-endian values, then state.count values
 * </pre>
 *
 * Writes go to a temporary file that is moved into place, so a crash never leaves half a model.
 * Stateless and thread-safe.
 */
public final class ModelFile {

  static final byte[] MAGIC = "STRATANN".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 2;
  /** Row capacity of a loaded network; predict() works through larger inputs in chunks. */
  static final int LOAD_ROWS = 256;

  private ModelFile() {}

  static void write(Path file, TrainedNetwork model) throws IOException {
    Network net = model.network();
    Provenance provenance = model.provenance();
    ObjectMapper mapper = NetworkSpecs.mapper();
    ObjectNode header = mapper.createObjectNode();
    header.put("format", "strata-network");
    header.put("version", VERSION);
    header.set("spec", mapper.readTree(NetworkSpecs.toJson(net.spec())));
    ObjectNode prov = header.putObject("provenance");
    prov.put("seed", provenance.seed());
    prov.put("datasetHash", provenance.datasetHash());
    prov.put("strataVersion", provenance.strataVersion());
    prov.put("createdAt", provenance.createdAt().toString());
    model.schema().ifPresent(schema -> header.set("input", schema.toJson()));
    if (model.schema().isPresent()) {
      header.set("preprocessing", mapper.readTree(model.preprocessor().toJson()));
    }
    model.recipe().ifPresent(r -> {
      ObjectNode d = header.putObject("data");
      d.put("source", r.source());
      DataOptions o = r.options();
      o.labelColumns().forEach(d.putArray("label")::add);
      d.put("regression", o.regression());
      d.put("nominal", o.nominal().name());
      d.put("samples", o.samples());
      d.put("classes", o.classes());
      d.put("dimensions", o.dimensions());
      if (!Double.isNaN(o.noise())) {
        d.put("noise", o.noise());
      }
      d.put("seed", o.seed());
      if (o.imputes()) {
        d.put("missing", "impute");
      }
      if (o.imageHeight() > 0 || o.imageChannels() > 0) {
        d.putArray("image").add(o.imageHeight()).add(o.imageWidth()).add(o.imageChannels());
      }
      d.put("validation", r.validation());
      d.put("test", r.test());
      if (r.testSource() != null) {
        d.put("testSource", r.testSource());
      }
      d.put("splitSeed", r.splitSeed());
      if (r.folds() > 1) {
        d.put("folds", r.folds());
        d.put("fold", r.fold());
      }
      r.preprocess().forEach(d.putArray("preprocess")::add);
    });
    header.set("parameters", table(mapper, net.parameterSlots(), net.parameterCount()));
    header.set("state", table(mapper, net.stateSlots(), net.stateCount()));
    byte[] json = mapper.writeValueAsBytes(header);

    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      head.put(MAGIC).putInt(VERSION).putInt(json.length);
      out.write(head.array());
      out.write(json);
      writeFloats(out, net.parameters());
      writeFloats(out, net.state());
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static ObjectNode table(ObjectMapper mapper, List<ParameterStore.Slot> slots, long count) {
    ObjectNode t = mapper.createObjectNode();
    t.put("count", count);
    ArrayNode tensors = t.putArray("tensors");
    for (ParameterStore.Slot s : slots) {
      ObjectNode e = tensors.addObject();
      e.put("name", s.name());
      e.put("offset", s.offset());
      e.putArray("shape").add(s.rows()).add(s.cols());
    }
    return t;
  }

  private static void writeFloats(OutputStream out, float[] values) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      if (!buf.hasRemaining()) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putFloat(v);
    }
    out.write(buf.array(), 0, buf.position());
  }

  static TrainedNetwork read(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      byte[] first = new byte[16];
      in.readFully(first);
      ByteBuffer head = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[8];
      head.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a Strata model file (the first 8 bytes are not \"STRATANN\")");
      }
      int version = head.getInt();
      if (version != 1 && version != VERSION) {
        throw new IOException(file + ": model format version " + version + ", this Strata reads versions 1 and " + VERSION
            + "; use the Strata version that wrote it");
      }
      int len = head.getInt();
      if (len <= 0 || len > 64 << 20) {
        throw new IOException(file + ": corrupt header length " + len);
      }
      byte[] json = new byte[len];
      in.readFully(json);
      JsonNode header = NetworkSpecs.mapper().readTree(json);
      NetworkSpec spec;
      try {
        spec = NetworkSpecs.fromTree(header.path("spec"), file.getFileName() + "#/spec");
      } catch (SpecException e) {
        throw new IOException(file + ": invalid spec in header: " + e.getMessage(), e);
      }
      JsonNode p = header.path("provenance");
      Provenance provenance = new Provenance(p.path("seed").asLong(), p.path("datasetHash").asText(),
          p.path("strataVersion").asText(), Instant.parse(p.path("createdAt").asText()));
      Network net = Network.of(spec);
      check(file, "parameters", header.path("parameters"), net.parameterSlots(), net.parameterCount());
      check(file, "state", header.path("state"), net.stateSlots(), net.stateCount());
      net.allocate(LOAD_ROWS);
      readFloats(in, net.parameters(), file);
      readFloats(in, net.state(), file);
      if (in.read() != -1) {
        throw new IOException(file + ": unexpected bytes after the weights");
      }
      if (!header.has("input")) {
        return new TrainedNetwork(net, provenance);
      }
      try {
        InputSchema schema = InputSchema.fromJson(header.get("input"));
        Preprocessor pre = Preprocessor.fromJson(header.path("preprocessing").toString());
        DataRecipe recipe = null;
        JsonNode d = header.path("data");
        if (d.isObject()) {
          List<String> label = new ArrayList<>();
          d.path("label").forEach(v -> label.add(v.asText()));
          List<String> steps = new ArrayList<>();
          d.path("preprocess").forEach(v -> steps.add(v.asText()));
          DataOptions options = DataOptions.builder().label(label.toArray(String[]::new))
              .regression(d.path("regression").asBoolean())
              .nominal(DataOptions.NominalEncoding.valueOf(d.path("nominal").asText("ONE_HOT")))
              .samples(d.path("samples").asInt()).classes(d.path("classes").asInt())
              .dimensions(d.path("dimensions").asInt()).noise(d.path("noise").asDouble(Double.NaN))
              .seed(d.path("seed").asLong(1))
              .missing(d.path("missing").asText("").equals("impute") ? DataOptions.Missing.IMPUTE : DataOptions.Missing.ERROR)
              .image(d.path("image").path(0).asInt(0), d.path("image").path(1).asInt(0), d.path("image").path(2).asInt(0))
              .build();
          recipe = new DataRecipe(d.path("source").asText(), options, d.path("validation").asDouble(),
              d.path("test").asDouble(), d.path("splitSeed").asLong(), steps, d.path("folds").asInt(0),
              d.path("fold").asInt(0), d.hasNonNull("testSource") ? d.get("testSource").asText() : null);
        }
        return new TrainedNetwork(net, provenance, schema, pre, recipe);
      } catch (RuntimeException e) {
        throw new IOException(file + ": invalid input schema or preprocessing in the header: " + e.getMessage(), e);
      }
    }
  }

  private static void check(Path file, String what, JsonNode table, List<ParameterStore.Slot> slots, long count)
      throws IOException {
    if (table.path("count").asLong(-1) != count) {
      throw new IOException(file + ": header says " + table.path("count") + " " + what + ", the spec needs " + count);
    }
    JsonNode tensors = table.path("tensors");
    if (tensors.size() != slots.size()) {
      throw new IOException(file + ": " + tensors.size() + " " + what + " tensors in the header, the spec has " + slots.size());
    }
    for (int i = 0; i < slots.size(); i++) {
      ParameterStore.Slot s = slots.get(i);
      JsonNode t = tensors.get(i);
      if (!t.path("name").asText().equals(s.name()) || t.path("offset").asInt(-1) != s.offset()
          || t.path("shape").path(0).asInt() != s.rows() || t.path("shape").path(1).asInt() != s.cols()) {
        throw new IOException(file + ": " + what + " tensor " + i + " is " + t + ", the spec lays out " + s);
      }
    }
  }

  private static void readFloats(DataInputStream in, float[] dst, Path file) throws IOException {
    byte[] bytes = new byte[1 << 16];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    while (i < dst.length) {
      int n = Math.min(bytes.length / 4, dst.length - i);
      try {
        in.readFully(bytes, 0, n * 4);
      } catch (java.io.EOFException e) {
        throw new IOException(file + ": truncated, the weights end early", e);
      }
      buf.clear();
      for (int j = 0; j < n; j++) {
        dst[i + j] = buf.getFloat();
      }
      i += n;
    }
  }
}
