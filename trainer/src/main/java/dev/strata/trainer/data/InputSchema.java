package dev.strata.trainer.data;

import dev.strata.common.DidYouMean;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a trained model takes as input, in the terms of the file it was trained on: the raw columns
 * in feature order (numeric, or nominal with the one-hot map of its categories), the label
 * column(s), the class names in class-index order, and the image shape for pixel inputs. A saved
 * model carries it ({@code docs/model-format.md}) so that new data is encoded exactly as the
 * training data was, and so that data that does not fit gets one line naming the column or the
 * size. Immutable and thread-safe.
 *
 * <p><b>Features.</b> Column {@code c} gives one feature named {@code c} when numeric, or one 0/1
 * feature per category, named {@code c=category}, in the order of {@link Column#categories()}.
 * {@link #of} recovers the columns from a dataset's feature names: consecutive features named
 * {@code c=...} are one nominal column (that is how the ARFF and CSV loaders name one-hot
 * features).
 *
 * <p><b>Reading new data</b> ({@link #read}): a CSV file is matched by header name (column order and
 * extra columns do not matter; extra columns are listed in {@link Input#ignoredColumns()}); the
 * label column is optional (present: {@link #read} also returns the labels, for evaluation). ARFF,
 * IDX and built-in sources are loaded by their loaders and matched by feature name. A missing
 * column, a category the model never saw, a class the model does not know, or an image of another
 * size is a {@link DataFormatException} with {@code file:line:column} where there is one.
 *
 * @param columns the raw input columns, in feature order
 * @param labelColumns the label column (classification) or target columns (regression) by name;
 *     empty when the training file's last column was the label
 * @param classNames class names in class-index order; empty for regression
 * @param regression whether the model predicts numbers rather than classes
 * @param outputs regression targets per row (classification: the number of classes)
 * @param imageShape {@code [height, width]} when the features are the pixels of an image, else empty
 */
public record InputSchema(
    List<Column> columns, List<String> labelColumns, List<String> classNames, boolean regression, int outputs,
    List<Integer> imageShape) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PIXEL = Pattern.compile("pixel_(\\d+)_(\\d+)");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");

  /**
   * One raw input column.
   *
   * @param name the column's name in the training file
   * @param categories null for a numeric column; for a nominal one, its categories in one-hot order
   */
  public record Column(String name, List<String> categories) {
    public Column {
      Objects.requireNonNull(name, "name");
      categories = categories == null ? null : List.copyOf(categories);
    }

    public boolean nominal() {
      return categories != null;
    }

    /** Features this column becomes. */
    public int width() {
      return categories == null ? 1 : categories.size();
    }
  }

  /**
   * New data encoded for the model: {@code rows x features()} raw (not yet preprocessed) values in
   * the model's feature order, and the labels (as the model's class indices) or targets when the
   * data has them.
   *
   * @param source where it came from, for messages
   * @param ignoredColumns CSV columns that are neither features nor the label
   */
  public record Input(String source, float[] x, int rows, int[] labels, float[] targets, List<String> ignoredColumns) {
    public Input {
      ignoredColumns = List.copyOf(ignoredColumns);
    }

    /** Whether the data carries labels or targets (so it can be evaluated). */
    public boolean labeled() {
      return labels != null || targets != null;
    }
  }

  public InputSchema {
    columns = List.copyOf(columns);
    labelColumns = List.copyOf(labelColumns);
    classNames = List.copyOf(classNames);
    imageShape = List.copyOf(imageShape);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("an input schema needs at least one column");
    }
  }

  /**
   * The schema of a raw (not preprocessed) dataset.
   *
   * @param labelColumns the label or target columns as the loader was told them (empty: the last)
   */
  public static InputSchema of(Dataset raw, List<String> labelColumns) {
    List<String> names = raw.featureNames().size() == raw.features() ? raw.featureNames() : Dataset.names("f", raw.features());
    List<Column> columns = new ArrayList<>();
    String group = null;
    List<String> categories = null;
    for (String n : names) {
      int eq = n.indexOf('=');
      String prefix = eq > 0 ? n.substring(0, eq) : null;
      if (prefix != null && prefix.equals(group)) {
        categories.add(n.substring(eq + 1));
        continue;
      }
      if (group != null) {
        columns.add(new Column(group, categories));
        group = null;
      }
      if (prefix != null) {
        group = prefix;
        categories = new ArrayList<>(List.of(n.substring(eq + 1)));
      } else {
        columns.add(new Column(n, null));
      }
    }
    if (group != null) {
      columns.add(new Column(group, categories));
    }
    List<Integer> shape = List.of();
    Matcher last = PIXEL.matcher(names.getLast());
    if (names.stream().allMatch(n -> PIXEL.matcher(n).matches()) && last.matches()) {
      shape = List.of(Integer.parseInt(last.group(1)) + 1, Integer.parseInt(last.group(2)) + 1);
    }
    return new InputSchema(columns, labelColumns, raw.classNames(), !raw.isClassification(), raw.outputs(), shape);
  }

  /** Features the model takes (before preprocessing). */
  public int features() {
    int n = 0;
    for (Column c : columns) {
      n += c.width();
    }
    return n;
  }

  /** Feature names in order: {@code c} for a numeric column, {@code c=category} per category of a nominal one. */
  public List<String> featureNames() {
    List<String> out = new ArrayList<>(features());
    for (Column c : columns) {
      if (c.nominal()) {
        c.categories().forEach(v -> out.add(c.name() + "=" + v));
      } else {
        out.add(c.name());
      }
    }
    return out;
  }

  /** {@code "the last column"} or the label column name(s), for messages. */
  private String labelText() {
    return labelColumns.isEmpty() ? "the last column" : "'" + String.join("', '", labelColumns) + "'";
  }

  // ---- reading new data ----------------------------------------------------------------------

  /**
   * Reads new data for this model: {@code csv:PATH}, {@code arff:PATH}, {@code idx:DIR[#part]}, a
   * built-in name, or a bare path ({@code .csv}, {@code .arff}, optionally {@code .gz}; a directory
   * is read as IDX).
   *
   * @throws DataFormatException one line naming the file, line, column or size that does not fit
   */
  public Input read(String source) {
    return read(source, false);
  }

  /**
   * Like {@link #read(String)}; when {@code missingAllowed}, a missing feature value (empty,
   * {@code ?}, {@code NA}, {@code NaN}) is read as NaN for an imputing {@link Preprocessor} to fill,
   * instead of being an error.
   */
  public Input read(String source, boolean missingAllowed) {
    String s = Objects.requireNonNull(source, "source").strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("csv:") && !lower.startsWith("arff:") && !lower.startsWith("idx:")
        && !lower.startsWith("cifar:") && !lower.startsWith("images:")) {
      String name = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
      if (name.endsWith(".csv")) {
        s = "csv:" + s;
      } else if (name.endsWith(".arff")) {
        s = "arff:" + s;
      } else if (Files.isDirectory(Path.of(s))) {
        s = "idx:" + s;
      }
      lower = s.toLowerCase(Locale.ROOT);
    }
    if (lower.startsWith("csv:")) {
      Path path = Path.of(s.substring(4));
      String text = new String(Io.readAll(Io.open(path, "CSV"), path.toString()), StandardCharsets.UTF_8);
      return readCsv(text, path.toString(), missingAllowed);
    }
    DataOptions options = DataOptions.builder().regression(regression)
        .label(labelColumns.toArray(String[]::new))
        .missing(missingAllowed ? DataOptions.Missing.IMPUTE : DataOptions.Missing.ERROR).build();
    if (lower.startsWith("images:")) {
      int[] chw = imageSize();
      if (chw != null) {
        options = options.withImage(chw[1], chw[2], chw[0]); // resized to the model's size
      }
    }
    return encode(Datasets.load(s, options), s);
  }

  /** Encodes CSV text (header first) by column name; see the class comment. */
  public Input readCsv(String text, String source) {
    return readCsv(text, source, false);
  }

  /** Encodes CSV text; a missing feature value is NaN when {@code missingAllowed}, else an error. */
  public Input readCsv(String text, String source, boolean missingAllowed) {
    List<CsvLoader.Record> records = CsvLoader.records(text, source);
    if (records.isEmpty()) {
      throw new DataFormatException(source + ": file is empty; expected a header line naming the model's columns: "
          + clipList(columns.stream().map(Column::name).toList()));
    }
    CsvLoader.Record header = records.getFirst();
    List<String> names = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < header.fields().size(); c++) {
      String n = header.fields().get(c).isEmpty() ? "column " + (c + 1) : header.fields().get(c);
      names.add(n);
      index.putIfAbsent(n, c);
    }
    int[] at = new int[columns.size()];
    List<String> spare = new ArrayList<>(names);
    spare.removeAll(columns.stream().map(Column::name).toList());
    for (int i = 0; i < columns.size(); i++) {
      Integer c = index.get(columns.get(i).name());
      if (c == null) {
        String near = DidYouMean.closestOrNull(columns.get(i).name(), spare);
        throw DataFormatException.at(source, header.line(), "no column '" + columns.get(i).name()
            + "', which the model takes as input" + (near == null ? "" : " (did you mean '" + near + "'?)")
            + "; the model's columns are: " + clipList(columns.stream().map(Column::name).toList()));
      }
      at[i] = c;
    }
    boolean[] used = new boolean[names.size()];
    for (int c : at) {
      used[c] = true;
    }
    int[] labelAt = labelColumns(names, index, used);
    for (int c : labelAt) {
      used[c] = true;
    }
    List<String> ignored = new ArrayList<>();
    for (int c = 0; c < names.size(); c++) {
      if (!used[c]) {
        ignored.add(names.get(c));
      }
    }
    int rows = records.size() - 1;
    int features = features();
    float[] x = new float[rows * features];
    boolean labeled = labelAt.length > 0;
    int[] labels = labeled && !regression ? new int[rows] : null;
    float[] targets = labeled && regression ? new float[rows * labelAt.length] : null;
    Map<String, Integer> classOf = classIndex();
    for (int r = 0; r < rows; r++) {
      CsvLoader.Record rec = records.get(r + 1);
      if (rec.fields().size() != names.size()) {
        throw DataFormatException.at(source, rec.line(), "row has " + rec.fields().size() + " columns, header has "
            + names.size() + "; fix the row (quote fields that contain commas)");
      }
      int f = r * features;
      for (int i = 0; i < columns.size(); i++) {
        Column col = columns.get(i);
        int c = at[i];
        if (!col.nominal()) {
          x[f++] = CsvLoader.number(rec, c, names, source, "the model takes a number here", missingAllowed);
          continue;
        }
        String v = rec.fields().get(c);
        if (CsvLoader.missing(v)) {
          if (!missingAllowed) {
            throw DataFormatException.at(source, rec.line(), c + 1, "missing value in column '" + col.name()
                + "'; fill it in or drop the row (the model was trained without imputation)");
          }
          java.util.Arrays.fill(x, f, f + col.width(), Float.NaN);
          f += col.width();
          continue;
        }
        int k = col.categories().indexOf(v);
        if (k < 0) {
          throw DataFormatException.at(source, rec.line(), c + 1, "value '" + clip(v) + "' in column '" + col.name()
              + "' was not seen in training; the model knows " + clipList(col.categories())
              + "; map it to one of them or drop the row");
        }
        x[f + k] = 1f;
        f += col.width();
      }
      if (labels != null) {
        String v = rec.fields().get(labelAt[0]);
        Integer k = classOf.get(classKey(v));
        if (k == null) {
          throw DataFormatException.at(source, rec.line(), labelAt[0] + 1, "label '" + clip(v) + "' (column '"
              + names.get(labelAt[0]) + "') is not one of the model's classes " + clipList(classNames)
              + "; fix the label, or drop the column to predict without evaluating");
        }
        labels[r] = k;
      } else if (targets != null) {
        for (int t = 0; t < labelAt.length; t++) {
          targets[r * labelAt.length + t] = CsvLoader.number(rec, labelAt[t], names, source, "targets are numbers", false);
        }
      }
    }
    return new Input(source, x, rows, labels, targets, ignored);
  }

  /** Where the label columns are in a CSV header: all named ones, or none (unlabelled data). */
  private int[] labelColumns(List<String> names, Map<String, Integer> index, boolean[] used) {
    if (labelColumns.isEmpty()) {
      int last = names.size() - 1;
      return last >= 0 && !used[last] ? new int[] {last} : new int[0];
    }
    int[] out = new int[labelColumns.size()];
    for (int i = 0; i < out.length; i++) {
      Integer c = index.get(labelColumns.get(i));
      if (c == null) {
        return new int[0];
      }
      out[i] = c;
    }
    if (regression && out.length != outputs) {
      return new int[0];
    }
    return out;
  }

  /**
   * Encodes a dataset loaded by another loader, matching features by name: a model feature {@code
   * c=v} the data lacks is 0 when the data has column {@code c}; a data feature {@code c=w} the
   * model lacks is an error for rows where it is set (a category not seen in training).
   */
  public Input encode(Dataset data, String source) {
    List<String> want = featureNames();
    List<String> have = data.featureNames().size() == data.features() ? data.featureNames() : Dataset.names("f", data.features());
    if (!imageShape.isEmpty() && data.features() != want.size()) {
      int h = imageShape.get(0);
      int w = imageShape.get(1);
      String got = have.isEmpty() ? data.features() + " values" : shapeOf(have);
      throw new DataFormatException(source + ": the model takes " + h + "x" + w + " images (" + h * w
          + " pixels), this data has " + got + " per image; resize the images to " + h + "x" + w);
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int j = 0; j < have.size(); j++) {
      index.putIfAbsent(have.get(j), j);
    }
    int features = want.size();
    int[] from = new int[features];
    java.util.Set<String> haveColumns = new java.util.HashSet<>();
    for (String n : have) {
      int eq = n.indexOf('=');
      haveColumns.add(eq > 0 ? n.substring(0, eq) : n);
    }
    for (int j = 0; j < features; j++) {
      Integer k = index.remove(want.get(j));
      if (k == null) {
        String n = want.get(j);
        int eq = n.indexOf('=');
        String column = eq > 0 ? n.substring(0, eq) : n;
        if (eq > 0 && haveColumns.contains(column)) {
          from[j] = -1; // a category this data does not declare: always 0
          continue;
        }
        String near = DidYouMean.closestOrNull(column, haveColumns);
        throw new DataFormatException(source + ": no column '" + column + "', which the model takes as input"
            + (near == null ? "" : " (did you mean '" + near + "'?)") + "; the model's columns are: "
            + clipList(columns.stream().map(Column::name).toList()));
      }
      from[j] = k;
    }
    float[] x = new float[data.rows() * features];
    for (int r = 0; r < data.rows(); r++) {
      for (int j = 0; j < features; j++) {
        x[r * features + j] = from[j] < 0 ? 0f : data.x()[r * data.features() + from[j]];
      }
      for (var extra : index.entrySet()) {
        if (extra.getKey().indexOf('=') > 0 && data.x()[r * data.features() + extra.getValue()] != 0f) {
          String n = extra.getKey();
          throw new DataFormatException(source + ": row " + (r + 1) + ": value '" + n.substring(n.indexOf('=') + 1)
              + "' in column '" + n.substring(0, n.indexOf('=')) + "' was not seen in training; map it to a known value or drop the row");
        }
      }
    }
    List<String> ignored = index.keySet().stream().filter(n -> n.indexOf('=') < 0).toList();
    if (data.isClassification() != !regression) {
      throw new DataFormatException(source + ": the model is a " + (regression ? "regression" : "classification")
          + " model, the data is loaded as " + (regression ? "classes" : "numeric targets")
          + "; predict on data with the same kind of label column " + labelText());
    }
    if (!regression) {
      Map<String, Integer> classOf = classIndex();
      int[] map = new int[data.classes()];
      for (int k = 0; k < map.length; k++) {
        Integer m = classOf.get(classKey(data.classNames().get(k)));
        if (m == null) {
          throw new DataFormatException(source + ": class '" + data.classNames().get(k) + "' is not one of the model's classes "
              + clipList(classNames) + "; fix the labels");
        }
        map[k] = m;
      }
      int[] labels = new int[data.rows()];
      for (int r = 0; r < labels.length; r++) {
        labels[r] = map[data.labels()[r]];
      }
      return new Input(source, x, data.rows(), labels, null, ignored);
    }
    if (data.outputs() != outputs) {
      throw new DataFormatException(source + ": the model predicts " + outputs + " targets, the data has "
          + data.outputs() + "; name the target columns " + labelText());
    }
    return new Input(source, x, data.rows(), null, data.targets(), ignored);
  }

  /**
   * {@code [channels, height, width]} read from image feature names ({@code pixel_R_C}, or {@code
   * r_R_C, g_R_C, b_R_C}: the last feature is the bottom-right pixel of the last channel), or null
   * when the features are not named as pixels.
   */
  public int[] imageSize() {
    List<String> names = featureNames();
    if (names.isEmpty()) {
      return null;
    }
    Matcher m = Pattern.compile("[A-Za-z]+_(\\d+)_(\\d+)").matcher(names.getLast());
    if (!m.matches()) {
      return null;
    }
    int h = Integer.parseInt(m.group(1)) + 1;
    int w = Integer.parseInt(m.group(2)) + 1;
    return names.size() % (h * w) == 0 ? new int[] {names.size() / (h * w), h, w} : null;
  }

  private static String shapeOf(List<String> names) {
    Matcher m = PIXEL.matcher(names.getLast());
    return m.matches() ? (Integer.parseInt(m.group(1)) + 1) + "x" + (Integer.parseInt(m.group(2)) + 1)
        + " (" + names.size() + " pixels)" : names.size() + " values";
  }

  private Map<String, Integer> classIndex() {
    Map<String, Integer> out = new HashMap<>();
    for (int k = 0; k < classNames.size(); k++) {
      out.put(classKey(classNames.get(k)), k);
    }
    return out;
  }

  /** Integer class names are keyed by value ({@code "07"} is class {@code "7"}), as {@link CsvLoader} codes them. */
  private static String classKey(String name) {
    return INTEGER.matcher(name).matches() ? Long.toString(Long.parseLong(name)) : name;
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  private static String clipList(List<String> items) {
    List<String> shown = items.size() > 12 ? items.subList(0, 12) : items;
    return String.join(", ", shown) + (items.size() > 12 ? ", ... (" + items.size() + " in all)" : "");
  }

  // ---- JSON --------------------------------------------------------------------------------

  /** This schema as a JSON object (the {@code input} section of a model file). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode cols = o.putArray("columns");
    for (Column c : columns) {
      ObjectNode e = cols.addObject();
      e.put("name", c.name());
      if (c.nominal()) {
        e.put("type", "nominal");
        c.categories().forEach(e.putArray("categories")::add);
      } else {
        e.put("type", "numeric");
      }
    }
    featureNames().forEach(o.putArray("features")::add);
    labelColumns.forEach(o.putArray("label")::add);
    o.put("task", regression ? "regression" : "classification");
    if (regression) {
      o.put("outputs", outputs);
    }
    classNames.forEach(o.putArray("classes")::add);
    if (!imageShape.isEmpty()) {
      imageShape.forEach(o.putArray("imageShape")::add);
    }
    return o;
  }

  /** Reads what {@link #toJson()} wrote. */
  public static InputSchema fromJson(JsonNode o) {
    List<Column> cols = new ArrayList<>();
    for (JsonNode c : o.path("columns")) {
      List<String> cats = null;
      if (c.path("type").asText().equals("nominal")) {
        cats = new ArrayList<>();
        for (JsonNode v : c.path("categories")) {
          cats.add(v.asText());
        }
      }
      cols.add(new Column(c.path("name").asText(), cats));
    }
    List<String> label = new ArrayList<>();
    o.path("label").forEach(v -> label.add(v.asText()));
    List<String> classes = new ArrayList<>();
    o.path("classes").forEach(v -> classes.add(v.asText()));
    List<Integer> shape = new ArrayList<>();
    o.path("imageShape").forEach(v -> shape.add(v.asInt()));
    boolean regression = o.path("task").asText().equals("regression");
    return new InputSchema(cols, label, classes, regression, regression ? o.path("outputs").asInt(1) : classes.size(), shape);
  }
}
