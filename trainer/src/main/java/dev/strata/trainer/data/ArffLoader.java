package dev.strata.trainer.data;

import dev.strata.common.DidYouMean;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads Weka's ARFF format into a {@link Dataset}. Stateless and thread-safe.
 *
 * <p><b>Supported.</b> {@code @relation}, {@code @attribute} and {@code @data} (keywords in any
 * case), {@code %} comment lines, blank lines, names and values quoted with {@code '...'} or
 * {@code "..."}, attribute types {@code numeric}, {@code real}, {@code integer} and nominal
 * {@code {a, b, c}}; dense data rows, optionally gzipped. Not supported, each with a clear message:
 * {@code string}, {@code date} and {@code relational} attributes, sparse rows {@code {0 x, 3 y}}
 * and missing values {@code ?}.
 *
 * <p><b>Class.</b> The class attribute is the last one, or the one named by {@link
 * DataOptions#labelColumns()}. A nominal class gives a classification set whose classes are the
 * declared values in declaration order (not sorted: the file's order is the author's); a numeric
 * class gives a regression set (several numeric class attributes may be named).
 *
 * <p><b>Nominal features</b> (nominal attributes that are not the class) are one-hot encoded by
 * default, one 0/1 feature per declared value named {@code attribute=value}; with {@link
 * DataOptions.NominalEncoding#CODES} they become one feature holding the 0-based index of the value.
 *
 * <p><b>Errors</b> are {@link DataFormatException}s with {@code file:line} or {@code
 * file:line:column} (the column is the value's 1-based position in the row).
 */
public final class ArffLoader {

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private ArffLoader() {}

  /** One declared attribute; {@code values} is null for numeric attributes. */
  private record Attribute(String name, List<String> values, long line) {
    boolean nominal() {
      return values != null;
    }
  }

  /** Loads {@code path}; the dataset is named after {@code @relation} (or the file). */
  public static Dataset load(Path path, DataOptions options) {
    return read(Io.open(path, "ARFF"), path.toString(), Io.baseName(path, ".arff"), options);
  }

  /** Reads ARFF from {@code in} (closed afterwards); {@code source} names it in messages. */
  public static Dataset read(InputStream in, String source, String fallbackName, DataOptions options) {
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
    return parse(text, source, fallbackName, options);
  }

  /** Parses ARFF text. */
  public static Dataset parse(String text, String source, String fallbackName, DataOptions options) {
    String[] lines = text.split("\r?\n|\r", -1);
    String relation = null;
    List<Attribute> attributes = new ArrayList<>();
    Map<String, Integer> byName = new HashMap<>();
    int dataLine = -1;
    for (int i = 0; i < lines.length && dataLine < 0; i++) {
      String line = lines[i].strip();
      long no = i + 1;
      if (line.isEmpty() || line.startsWith("%")) {
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("@relation")) {
        relation = unquote(line.substring("@relation".length()).strip());
      } else if (lower.startsWith("@attribute")) {
        Attribute a = attribute(line.substring("@attribute".length()).strip(), source, no);
        Integer previous = byName.putIfAbsent(a.name(), attributes.size());
        if (previous != null) {
          throw DataFormatException.at(source, no, "attribute '" + a.name() + "' is declared twice (first on line "
              + attributes.get(previous).line() + "); rename one");
        }
        attributes.add(a);
      } else if (lower.equals("@data") || lower.startsWith("@data ") || lower.startsWith("@data%")) {
        dataLine = i;
      } else if (lower.startsWith("@")) {
        throw DataFormatException.at(source, no, "unknown declaration '" + line.split("\\s+")[0]
            + "'; expected @relation, @attribute or @data");
      } else {
        throw DataFormatException.at(source, no, "unexpected text before @data: '" + clip(line)
            + "'; declare attributes with @attribute and start the rows with @data");
      }
    }
    if (attributes.isEmpty()) {
      throw new DataFormatException(source + ": no @attribute declarations; this does not look like an ARFF file");
    }
    if (dataLine < 0) {
      throw new DataFormatException(source + ": no @data section; add a line '@data' followed by the rows");
    }
    if (attributes.size() < 2) {
      throw new DataFormatException(source + ": only one attribute; need at least one feature and a class attribute");
    }
    int[] classCols = classColumns(options, attributes, byName, source);
    boolean[] isClass = new boolean[attributes.size()];
    for (int c : classCols) {
      isClass[c] = true;
    }
    boolean classification = attributes.get(classCols[0]).nominal();
    for (int c : classCols) {
      Attribute a = attributes.get(c);
      if (a.nominal() != classification || (classification && classCols.length > 1)) {
        throw new DataFormatException(source + ":" + a.line() + ": class attributes must be one nominal attribute or numeric ones; '"
            + a.name() + "' is " + (a.nominal() ? "nominal" : "numeric"));
      }
    }
    if (classification && options.regression()) {
      Attribute a = attributes.get(classCols[0]);
      throw DataFormatException.at(source, a.line(), "regression was asked for but class attribute '" + a.name()
          + "' is nominal; name a numeric attribute as the target or drop the regression option");
    }
    boolean oneHot = options.nominal() == DataOptions.NominalEncoding.ONE_HOT;
    List<String> featureNames = new ArrayList<>();
    for (int c = 0; c < attributes.size(); c++) {
      Attribute a = attributes.get(c);
      if (isClass[c]) {
        continue;
      }
      if (a.nominal() && oneHot) {
        for (String v : a.values()) {
          featureNames.add(a.name() + "=" + v);
        }
      } else {
        featureNames.add(a.name());
      }
    }
    int features = featureNames.size();
    List<float[]> rowsX = new ArrayList<>();
    List<float[]> rowsY = new ArrayList<>();
    for (int i = dataLine + 1; i < lines.length; i++) {
      String line = lines[i].strip();
      long no = i + 1;
      if (line.isEmpty() || line.startsWith("%")) {
        continue;
      }
      if (line.startsWith("{")) {
        throw DataFormatException.at(source, no, "sparse rows ({index value, ...}) are not supported; save the file as dense ARFF");
      }
      List<String> values = split(line, source, no);
      if (values.size() != attributes.size()) {
        throw DataFormatException.at(source, no, "row has " + values.size() + " values, " + attributes.size()
            + " attributes are declared; fix the row");
      }
      float[] xr = new float[features];
      float[] yr = new float[classCols.length];
      int f = 0;
      int t = 0;
      for (int c = 0; c < values.size(); c++) {
        Attribute a = attributes.get(c);
        String v = values.get(c);
        if (v.equals("?")) {
          if (isClass[c] || !options.imputes()) {
            throw DataFormatException.at(source, no, c + 1, "missing value '?' for attribute '" + a.name() + "'; "
                + (isClass[c] ? "fill it in or drop the row (labels and targets are never imputed)" : CsvLoader.MISSING_FIX));
          }
          int width = a.nominal() && oneHot ? a.values().size() : 1;
          java.util.Arrays.fill(xr, f, f + width, Float.NaN);
          f += width;
          continue;
        }
        if (a.nominal()) {
          int code = a.values().indexOf(v);
          if (code < 0) {
            throw DataFormatException.at(source, no, c + 1, "'" + clip(v) + "' is not a declared value of attribute '" + a.name()
                + "' {" + String.join(", ", a.values()) + "}; fix the value or add it to the declaration on line " + a.line());
          }
          if (isClass[c]) {
            yr[t++] = code;
          } else if (oneHot) {
            xr[f + code] = 1f;
            f += a.values().size();
          } else {
            xr[f++] = code;
          }
        } else {
          if (!NUMBER.matcher(v).matches()) {
            throw DataFormatException.at(source, no, c + 1, "expected a number, got '" + clip(v) + "' (attribute '" + a.name()
                + "' is numeric); fix the value or declare the attribute nominal");
          }
          float num = Float.parseFloat(v);
          if (isClass[c]) {
            yr[t++] = num;
          } else {
            xr[f++] = num;
          }
        }
      }
      rowsX.add(xr);
      rowsY.add(yr);
    }
    int rows = rowsX.size();
    if (rows == 0) {
      throw new DataFormatException(source + ": @data section has no rows; add data rows after @data");
    }
    float[] x = new float[rows * features];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(rowsX.get(r), 0, x, r * features, features);
    }
    String name = relation == null || relation.isEmpty() ? fallbackName : relation;
    if (classification) {
      int[] labels = new int[rows];
      for (int r = 0; r < rows; r++) {
        labels[r] = (int) rowsY.get(r)[0];
      }
      return new Dataset(name, x, rows, features, labels, null, 0, featureNames, attributes.get(classCols[0]).values());
    }
    float[] targets = new float[rows * classCols.length];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(rowsY.get(r), 0, targets, r * classCols.length, classCols.length);
    }
    return new Dataset(name, x, rows, features, null, targets, classCols.length, featureNames, null);
  }

  private static int[] classColumns(DataOptions options, List<Attribute> attributes, Map<String, Integer> byName, String source) {
    List<String> wanted = options.labelColumns();
    if (wanted.isEmpty()) {
      return new int[] {attributes.size() - 1};
    }
    int[] out = new int[wanted.size()];
    for (int i = 0; i < out.length; i++) {
      Integer c = byName.get(wanted.get(i));
      if (c == null) {
        List<String> names = attributes.stream().map(Attribute::name).toList();
        String near = DidYouMean.closestOrNull(wanted.get(i), names);
        throw new DataFormatException(source + ": no attribute '" + wanted.get(i) + "'"
            + (near == null ? "" : " (did you mean '" + near + "'?)") + "; attributes are: " + String.join(", ", names));
      }
      out[i] = c;
    }
    if (out.length >= attributes.size()) {
      throw new DataFormatException(source + ": every attribute is a class attribute, none is left as a feature");
    }
    return out;
  }

  private static Attribute attribute(String rest, String source, long line) {
    if (rest.isEmpty()) {
      throw DataFormatException.at(source, line, "@attribute needs a name and a type, e.g. '@attribute petal_width numeric'");
    }
    String name;
    String type;
    char first = rest.charAt(0);
    if (first == '\'' || first == '"') {
      int end = closingQuote(rest, 0);
      if (end < 0) {
        throw DataFormatException.at(source, line, "attribute name opened with " + first + " is never closed; add the closing quote");
      }
      name = unescape(rest.substring(1, end));
      type = rest.substring(end + 1).strip();
    } else {
      String[] parts = rest.split("[\\s{]", 2);
      name = parts[0];
      type = rest.substring(name.length()).strip();
    }
    if (type.isEmpty()) {
      throw DataFormatException.at(source, line, "attribute '" + name + "' has no type; add numeric or {value1, value2, ...}");
    }
    String lower = type.toLowerCase(Locale.ROOT);
    if (lower.equals("numeric") || lower.equals("real") || lower.equals("integer")) {
      return new Attribute(name, null, line);
    }
    if (type.startsWith("{")) {
      if (!type.endsWith("}")) {
        throw DataFormatException.at(source, line, "nominal values of attribute '" + name + "' must end with '}'; close the list");
      }
      List<String> values = split(type.substring(1, type.length() - 1), source, line);
      if (values.isEmpty() || values.size() == 1 && values.getFirst().isEmpty()) {
        throw DataFormatException.at(source, line, "nominal attribute '" + name + "' declares no values; list them in {...}");
      }
      for (int i = 0; i < values.size(); i++) {
        if (values.indexOf(values.get(i)) != i) {
          throw DataFormatException.at(source, line, "nominal attribute '" + name + "' lists '" + values.get(i) + "' twice; remove one");
        }
      }
      return new Attribute(name, values, line);
    }
    String word = lower.split("\\s+")[0];
    if (word.equals("string") || word.equals("date") || word.equals("relational")) {
      throw DataFormatException.at(source, line, "attribute '" + name + "' has type " + word
          + ", which is not supported; remove the attribute or convert it to numeric or nominal");
    }
    throw DataFormatException.at(source, line, "attribute '" + name + "' has unknown type '" + clip(type)
        + "'; use numeric, real, integer or {value1, value2, ...}");
  }

  /** Splits a comma-separated list, honouring '...' and "..." quotes; values are unquoted and trimmed. */
  private static List<String> split(String s, String source, long line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (true) {
      while (i < n && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i < n && (s.charAt(i) == '\'' || s.charAt(i) == '"')) {
        int end = closingQuote(s, i);
        if (end < 0) {
          throw DataFormatException.at(source, line, out.size() + 1, "quoted value is never closed; add the closing "
              + s.charAt(i));
        }
        out.add(unescape(s.substring(i + 1, end)));
        i = end + 1;
        while (i < n && Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        if (i < n && s.charAt(i) != ',') {
          throw DataFormatException.at(source, line, out.size(), "unexpected '" + s.charAt(i)
              + "' after a quoted value; separate values with commas");
        }
      } else {
        int start = i;
        while (i < n && s.charAt(i) != ',') {
          i++;
        }
        out.add(s.substring(start, i).strip());
      }
      if (i >= n) {
        return out;
      }
      i++; // the comma
    }
  }

  private static int closingQuote(String s, int open) {
    char q = s.charAt(open);
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == q) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    return s.indexOf('\\') < 0 ? s : s.replaceAll("\\\\(.)", "$1");
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
      return unescape(s.substring(1, s.length() - 1));
    }
    return s;
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }
}
