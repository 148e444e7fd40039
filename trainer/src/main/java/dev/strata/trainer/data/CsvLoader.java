package dev.strata.trainer.data;

import dev.strata.common.DidYouMean;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads a CSV file with a header line into a {@link Dataset}. Stateless and thread-safe.
 *
 * <p><b>Format.</b> UTF-8 (a byte-order mark is ignored), optionally gzipped (detected from the
 * content, not the name), comma-separated, first non-blank line is the header. Fields may be
 * quoted with {@code "..."}; inside quotes commas and line breaks are data and {@code ""} is one
 * quote. Unquoted fields are trimmed. Blank lines are skipped. Every row must have as many fields
 * as the header.
 *
 * <p><b>Label.</b> The label column is named by {@link DataOptions#labelColumns()} (default: the
 * last column). In classification mode labels become classes {@code 0..k-1}: if every label is an
 * integer, classes are the distinct integers in numeric order (class names are their decimal form,
 * so {@code 3, 1, 2} become classes 0, 1, 2 named "1", "2", "3"); otherwise the distinct strings in
 * {@link String#compareTo} order. In regression mode one or more target columns are read as floats.
 *
 * <p><b>Features.</b> Every other column is a feature. A column in which every value is a number
 * is one numeric feature. A column in which no value is a number is a text (categorical) column:
 * it is one-hot encoded, one 0/1 feature per distinct value (in {@link String#compareTo} order)
 * named {@code column=value}, as ARFF nominal attributes are; at most {@value #MAX_CATEGORIES}
 * distinct values, more is an error naming the column. A column that mixes numbers and text is an
 * error at its first text value (usually a typo in a numeric column). Missing values (empty,
 * {@code ?}, {@code NA}, {@code NaN}) in a feature column are an error naming the cell unless
 * {@link DataOptions#missing()} is {@code IMPUTE}: then a numeric cell becomes NaN and a text cell
 * NaN in each of its one-hot features, for the {@link Preprocessor} to fill from the training part.
 * A missing label or target is always an error.
 *
 * <p><b>Errors</b> are {@link DataFormatException}s naming {@code file:line:column} (1-based; the
 * column is the field's position in the row) and the column's header name.
 */
public final class CsvLoader {

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");

  /** Most distinct values a text column may have to be one-hot encoded. */
  public static final int MAX_CATEGORIES = 100;

  private CsvLoader() {}

  /** Loads {@code path}; the dataset is named after the file (without {@code .csv}/{@code .gz}). */
  public static Dataset load(Path path, DataOptions options) {
    return read(Io.open(path, "CSV"), path.toString(), Io.baseName(path, ".csv"), options);
  }

  /**
   * Reads CSV from {@code in} (closed afterwards; gzip is detected); {@code source} names it in
   * error messages.
   */
  public static Dataset read(InputStream in, String source, String name, DataOptions options) {
    InputStream stream;
    try {
      stream = Io.maybeGunzip(in);
    } catch (java.io.IOException e) {
      throw new DataFormatException(source + ": cannot read (" + e.getMessage() + ")", e);
    }
    String text = new String(Io.readAll(stream, source), StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return parse(text, source, name, options);
  }

  /** Parses CSV text (see the class comment). */
  public static Dataset parse(String text, String source, String name, DataOptions options) {
    List<Record> records = new Tokenizer(text, source).records();
    if (records.isEmpty()) {
      throw new DataFormatException(source + ": file is empty; expected a header line and data rows");
    }
    Record header = records.getFirst();
    int width = header.fields.size();
    List<String> columns = new ArrayList<>(width);
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < width; c++) {
      String col = header.fields.get(c);
      if (col.isEmpty()) {
        col = "column " + (c + 1);
      }
      Integer previous = index.putIfAbsent(col, c);
      if (previous != null) {
        throw DataFormatException.at(source, header.line, c + 1, "duplicate column name '" + col + "' (also column "
            + (previous + 1) + "); rename one of them");
      }
      columns.add(col);
    }
    if (width < 2) {
      throw DataFormatException.at(source, header.line, "header has " + width
          + " column; need at least one feature and a label column (is the file comma-separated?)");
    }
    int[] labelCols = labelColumns(options, columns, index, source, header.line);
    boolean[] isLabel = new boolean[width];
    for (int c : labelCols) {
      isLabel[c] = true;
    }
    int rows = records.size() - 1;
    if (rows == 0) {
      throw DataFormatException.at(source, header.line, "header but no data rows; add rows below the header");
    }
    // text columns (no value is a number) become one-hot features, in header order
    List<List<String>> categories = new ArrayList<>(width);
    for (int c = 0; c < width; c++) {
      categories.add(null);
    }
    for (int c = 0; c < width; c++) {
      if (isLabel[c]) {
        continue;
      }
      boolean anyNumber = false;
      boolean anyText = false;
      TreeSet<String> values = new TreeSet<>();
      for (int r = 1; r <= rows; r++) {
        Record rec = records.get(r);
        if (rec.fields.size() != width) {
          continue; // reported below, in row order
        }
        String v = rec.fields.get(c);
        if (missing(v)) {
          continue;
        }
        if (NUMBER.matcher(v).matches()) {
          anyNumber = true;
        } else {
          anyText = true;
          values.add(v);
        }
      }
      if (anyText && !anyNumber) {
        if (values.size() > MAX_CATEGORIES) {
          throw DataFormatException.at(source, header.line, c + 1, "text column '" + columns.get(c) + "' has "
              + values.size() + " distinct values, more than the " + MAX_CATEGORIES + " one-hot encoding takes (e.g. '"
              + clip(values.first()) + "'); drop the column, or map its values to fewer categories");
        }
        categories.set(c, List.copyOf(values));
      }
    }
    List<String> featureNames = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      if (isLabel[c]) {
        continue;
      }
      if (categories.get(c) == null) {
        featureNames.add(columns.get(c));
      } else {
        for (String v : categories.get(c)) {
          featureNames.add(columns.get(c) + "=" + v);
        }
      }
    }
    int features = featureNames.size();
    float[] x = new float[rows * features];
    float[] targets = options.regression() ? new float[rows * labelCols.length] : null;
    String[] rawLabels = options.regression() ? null : new String[rows];
    for (int r = 0; r < rows; r++) {
      Record rec = records.get(r + 1);
      if (rec.fields.size() != width) {
        throw DataFormatException.at(source, rec.line, "row has " + rec.fields.size() + " columns, header has " + width
            + "; fix the row (quote fields that contain commas)");
      }
      int f = 0;
      for (int c = 0; c < width; c++) {
        if (isLabel[c]) {
          continue;
        }
        List<String> cats = categories.get(c);
        if (cats == null) {
          x[r * features + f++] = number(rec, c, columns, source, "fix the value or drop the column"
              + " (a column in which no value is a number is one-hot encoded as text)", options.imputes());
          continue;
        }
        String v = rec.fields.get(c);
        if (missing(v)) {
          if (!options.imputes()) {
            throw DataFormatException.at(source, rec.line, c + 1, "missing value in text column '" + columns.get(c)
                + "'; " + MISSING_FIX);
          }
          java.util.Arrays.fill(x, r * features + f, r * features + f + cats.size(), Float.NaN);
          f += cats.size();
          continue;
        }
        x[r * features + f + cats.indexOf(v)] = 1f;
        f += cats.size();
      }
      if (targets != null) {
        for (int t = 0; t < labelCols.length; t++) {
          targets[r * labelCols.length + t] = number(rec, labelCols[t], columns, source,
              "fix the value, or load without regression to treat the column as class labels", false);
        }
      } else {
        String label = rec.fields.get(labelCols[0]);
        if (missing(label)) {
          throw DataFormatException.at(source, rec.line, labelCols[0] + 1, "missing label (column '"
              + columns.get(labelCols[0]) + "'); fill it in or drop the row");
        }
        rawLabels[r] = label;
      }
    }
    if (targets != null) {
      return new Dataset(name, x, rows, features, null, targets, labelCols.length, featureNames, null);
    }
    LabelCoding coding = LabelCoding.of(rawLabels);
    return new Dataset(name, x, rows, features, coding.labels(), null, 0, featureNames, coding.classNames());
  }

  /** Class names in a stable order and each row's class index. */
  record LabelCoding(List<String> classNames, int[] labels) {
    static LabelCoding of(String[] raw) {
      boolean integers = true;
      for (String s : raw) {
        if (!INTEGER.matcher(s).matches()) {
          integers = false;
          break;
        }
      }
      // Integers are keyed by value (so "07" and "7" are one class), strings by themselves.
      Map<String, Integer> classOf = new HashMap<>();
      List<String> names = new ArrayList<>();
      if (integers) {
        for (long v : new TreeSet<>(Arrays.stream(raw).map(Long::parseLong).toList())) {
          classOf.put(Long.toString(v), names.size());
          names.add(Long.toString(v));
        }
      } else {
        for (String s : new TreeSet<>(List.of(raw))) {
          classOf.put(s, names.size());
          names.add(s);
        }
      }
      int[] labels = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        labels[i] = classOf.get(integers ? Long.toString(Long.parseLong(raw[i])) : raw[i]);
      }
      return new LabelCoding(names, labels);
    }
  }

  private static int[] labelColumns(DataOptions options, List<String> columns, Map<String, Integer> index, String source,
      long headerLine) {
    List<String> wanted = options.labelColumns();
    if (wanted.isEmpty()) {
      return new int[] {columns.size() - 1};
    }
    if (!options.regression() && wanted.size() > 1) {
      throw new DataFormatException(source + ": classification takes one label column, got " + wanted.size() + " "
          + wanted + "; name one, or load in regression mode for several target columns");
    }
    int[] out = new int[wanted.size()];
    for (int i = 0; i < out.length; i++) {
      Integer c = index.get(wanted.get(i));
      if (c == null) {
        String near = DidYouMean.closestOrNull(wanted.get(i), columns);
        throw DataFormatException.at(source, headerLine, "no column '" + wanted.get(i) + "' in the header"
            + (near == null ? "" : " (did you mean '" + near + "'?)") + "; columns are: " + String.join(", ", columns));
      }
      out[i] = c;
    }
    if (out.length == columns.size()) {
      throw new DataFormatException(source + ": every column is a target, none is left as a feature; name fewer target columns");
    }
    return out;
  }

  static boolean missing(String s) {
    return s.isEmpty() || s.equals("?") || s.equalsIgnoreCase("NA") || s.equalsIgnoreCase("NaN");
  }

  /** How to get past a missing feature value, for messages. */
  static final String MISSING_FIX = "fill it in, drop the row, or impute missing values"
      + " (experiment: \"missing\": \"impute\" in the dataset section; strata train: --missing impute)";

  /**
   * The number in field {@code c}; a missing value is NaN when {@code allowMissing}, else an error
   * naming the cell.
   */
  static float number(Record rec, int c, List<String> columns, String source, String fix, boolean allowMissing) {
    String s = rec.fields.get(c);
    String where = " (column '" + columns.get(c) + "')";
    if (missing(s)) {
      if (allowMissing) {
        return Float.NaN;
      }
      throw DataFormatException.at(source, rec.line, c + 1, (s.isEmpty() ? "missing value" : "missing value '" + s + "'")
          + where + "; " + (fix.startsWith("fix the value, or load without") || fix.equals("targets are numbers")
              ? "fill it in or drop the row (targets are never imputed)"
              : fix.equals("the model takes a number here")
                  ? "fill it in or drop the row (the model was trained without imputation)" : MISSING_FIX));
    }
    if (!NUMBER.matcher(s).matches()) {
      throw DataFormatException.at(source, rec.line, c + 1, "expected a number, got '" + clip(s) + "'" + where + "; " + fix);
    }
    float v = Float.parseFloat(s);
    if (!Float.isFinite(v)) {
      throw DataFormatException.at(source, rec.line, c + 1, "number '" + clip(s) + "' is too large for a float" + where
          + "; rescale the column");
    }
    return v;
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  /** One CSV record: its fields and the line it starts on. */
  record Record(List<String> fields, long line) {}

  /** The records of CSV text (header first), for readers that match columns by name ({@link InputSchema}). */
  static List<Record> records(String text, String source) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return new Tokenizer(text, source).records();
  }

  /** Splits text into records, honouring quotes; tracks line numbers. */
  private static final class Tokenizer {
    private final String text;
    private final String source;
    private int pos;
    private long line = 1;
    private int lineStart;

    Tokenizer(String text, String source) {
      this.text = text;
      this.source = source;
    }

    List<Record> records() {
      List<Record> out = new ArrayList<>();
      while (pos < text.length()) {
        long start = line;
        List<String> fields = new ArrayList<>();
        boolean blank = true;
        while (true) {
          FieldResult f = field(fields.size() + 1);
          fields.add(f.value);
          blank &= f.value.isEmpty() && !f.quoted;
          if (pos >= text.length()) {
            break;
          }
          char ch = text.charAt(pos);
          if (ch == ',') {
            pos++;
            blank = false;
            continue;
          }
          newline();
          break;
        }
        if (!(blank && fields.size() == 1)) {
          out.add(new Record(fields, start));
        }
      }
      return out;
    }

    private record FieldResult(String value, boolean quoted) {}

    private FieldResult field(int column) {
      int start = pos;
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
      if (pos < text.length() && text.charAt(pos) == '"') {
        long openLine = line;
        int openCol = pos - lineStart + 1;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
          if (pos >= text.length()) {
            throw DataFormatException.at(source, openLine, column, "quoted field opened at character " + openCol
                + " is never closed; add the closing quote (write \"\" for a quote inside a field)");
          }
          char ch = text.charAt(pos);
          if (ch == '"') {
            if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
              sb.append('"');
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          if (ch == '\n') {
            line++;
            lineStart = pos + 1;
          }
          sb.append(ch);
          pos++;
        }
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
          pos++;
        }
        if (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
          throw DataFormatException.at(source, line, column, "unexpected '" + text.charAt(pos)
              + "' after a closing quote; put the whole field in quotes and double any quote inside it");
        }
        return new FieldResult(sb.toString(), true);
      }
      pos = start;
      while (pos < text.length()) {
        char ch = text.charAt(pos);
        if (ch == ',' || ch == '\n' || ch == '\r') {
          break;
        }
        pos++;
      }
      return new FieldResult(text.substring(start, pos).strip(), false);
    }

    private void newline() {
      if (text.charAt(pos) == '\r') {
        pos++;
      }
      if (pos < text.length() && text.charAt(pos) == '\n') {
        pos++;
      }
      line++;
      lineStart = pos;
    }
  }
}
