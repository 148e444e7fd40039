package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static Dataset parse(String text, DataOptions options) {
    return CsvLoader.parse(text, "data.csv", "data", options);
  }

  private static String error(String text, DataOptions options) {
    return assertThrows(DataFormatException.class, () -> parse(text, options)).getMessage();
  }

  @Test
  void loadsFeaturesAndStringLabelsInSortedOrder() throws IOException {
    Path p = write("iris.csv", "sepal,petal,species\n1.5,2,virginica\n-3e-1, .5 ,setosa\n\n4,5,versicolor\n7,8,setosa\n");
    Dataset d = CsvLoader.load(p, DataOptions.defaults());
    assertEquals("iris", d.name());
    assertEquals(4, d.rows());
    assertEquals(List.of("sepal", "petal"), d.featureNames());
    assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
    assertArrayEquals(new int[] {2, 0, 1, 0}, d.labels());
    assertArrayEquals(new float[] {1.5f, 2, -0.3f, 0.5f, 4, 5, 7, 8}, d.x());
  }

  @Test
  void integerLabelsAreOrderedNumerically() {
    Dataset d = parse("a,label\n1,10\n2,9\n3,-1\n4,9\n", DataOptions.defaults());
    assertEquals(List.of("-1", "9", "10"), d.classNames());
    assertArrayEquals(new int[] {2, 1, 0, 1}, d.labels());
    Dataset padded = parse("a,label\n1,07\n2,7\n3,+8\n", DataOptions.defaults());
    assertEquals(List.of("7", "8"), padded.classNames(), "integer labels are compared by value");
    assertArrayEquals(new int[] {0, 0, 1}, padded.labels());
  }

  @Test
  void labelColumnByNameAnywhere() {
    Dataset d = parse("kind,a,b\nx,1,2\ny,3,4\n", DataOptions.defaults().withLabel("kind"));
    assertEquals(List.of("a", "b"), d.featureNames());
    assertArrayEquals(new int[] {0, 1}, d.labels());
  }

  @Test
  void regressionReadsOneOrMoreFloatTargets() {
    Dataset d = parse("x,y1,z,y2\n1,0.5,2,-1\n3,1.5,4,-2\n", DataOptions.defaults().withRegression(true).withLabel("y1", "y2"));
    assertEquals(2, d.outputs());
    assertEquals(List.of("x", "z"), d.featureNames());
    assertArrayEquals(new float[] {0.5f, -1, 1.5f, -2}, d.targets());
    assertArrayEquals(new float[] {1, 2, 3, 4}, d.x());
    Dataset last = parse("x,y\n1,0.25\n", DataOptions.defaults().withRegression(true));
    assertArrayEquals(new float[] {0.25f}, last.targets());
  }

  @Test
  void quotedFieldsMayHoldCommasQuotesAndLineBreaks() {
    Dataset d = parse("\"width, cm\",\"label\"\n\"1.5\",\"a, \"\"quoted\"\" one\"\n2,\"two\nlines\"\n3,plain\n",
        DataOptions.defaults());
    assertEquals(List.of("width, cm"), d.featureNames());
    assertEquals(List.of("a, \"quoted\" one", "plain", "two\nlines"), d.classNames());
    assertArrayEquals(new float[] {1.5f, 2, 3}, d.x());
    // A row after a multi-line field still reports its real line number.
    assertEquals("data.csv:5: row has 1 columns, header has 2; fix the row (quote fields that contain commas)",
        error("a,b\n1,\"x\ny\"\n2,z\n4\n", DataOptions.defaults()));
  }

  @Test
  void raggedRowNamesLineAndCounts() {
    String text = "a,b,c,d,label\n1,2,3,4,x\n1,2,x\n";
    assertEquals("data.csv:3: row has 3 columns, header has 5; fix the row (quote fields that contain commas)",
        error(text, DataOptions.defaults()));
  }

  @Test
  void nonNumericFeatureNamesLineColumnAndHeader() {
    String text = "sepal_length,sepal_width,petal_length,petal_width,species\n"
        + "5.1,3.5,1.4,0.2,setosa\n"
        + "4.9,3.0,1.4,abc,setosa\n";
    assertEquals("data.csv:3:4: expected a number, got 'abc' (column 'petal_width'); fix the value or drop the column"
        + " (a column in which no value is a number is one-hot encoded as text)", error(text, DataOptions.defaults()));
    assertEquals("data.csv:2:1: missing value (column 'a'); fill it in, drop the row, or impute missing values (experiment: \"missing\": \"impute\" in the dataset section; strata train: --missing impute)",
        error("a,b\n,1\n", DataOptions.defaults()));
    assertEquals("data.csv:2:2: expected a number, got 'x' (column 'y'); fix the value, or load without regression"
        + " to treat the column as class labels", error("a,y\n1,x\n", DataOptions.defaults().withRegression(true)));
  }

  @Test
  void unknownLabelColumnSuggestsTheClosest() {
    assertEquals("data.csv:1: no column 'Species' in the header (did you mean 'species'?); columns are: a, species",
        error("a,species\n1,x\n", DataOptions.defaults().withLabel("Species")));
  }

  @Test
  void otherStructuralErrors() {
    assertTrue(error("", DataOptions.defaults()).startsWith("data.csv: file is empty"));
    assertTrue(error("a,b\n", DataOptions.defaults()).contains("no data rows"));
    assertTrue(error("a,a\n1,2\n", DataOptions.defaults()).startsWith("data.csv:1:2: duplicate column name 'a'"));
    assertTrue(error("a,b\n1,\"open\n", DataOptions.defaults()).startsWith("data.csv:2:2: quoted field opened"));
    assertTrue(error("a,b\n1,\"x\"y\n", DataOptions.defaults()).startsWith("data.csv:2:2: unexpected 'y' after a closing quote"));
    assertTrue(error("a;b\n1;2\n", DataOptions.defaults()).contains("comma-separated"));
  }

  @Test
  void missingFileSaysSo() {
    Path p = dir.resolve("nope.csv");
    String m = assertThrows(DataFormatException.class, () -> CsvLoader.load(p, DataOptions.defaults())).getMessage();
    assertEquals(p + ": CSV file not found; check the path", m);
  }

  @Test
  void gzippedFilesAreDetectedByContent() throws IOException {
    Path p = dir.resolve("data.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write("a,b\n1,x\n2,y\n".getBytes(StandardCharsets.UTF_8));
    }
    Dataset d = CsvLoader.load(p, DataOptions.defaults());
    assertEquals("data", d.name());
    assertEquals(2, d.rows());
  }

  @Test
  void textColumnsAreOneHotEncodedInPlaceWithALimit() {
    Dataset d = parse("size,color,shape,label\n1.5,red,round,a\n2,blue,square,b\n3,red,round,a\n",
        DataOptions.defaults());
    assertEquals(java.util.List.of("size", "color=blue", "color=red", "shape=round", "shape=square"), d.featureNames());
    assertArrayEquals(new float[] {1.5f, 0, 1, 1, 0, 2, 1, 0, 0, 1, 3, 0, 1, 1, 0}, d.x());
    StringBuilder many = new StringBuilder("id,label\n");
    for (int i = 0; i <= CsvLoader.MAX_CATEGORIES; i++) {
      many.append("user").append(i).append(",x\n");
    }
    assertEquals("data.csv:1:1: text column 'id' has 101 distinct values, more than the 100 one-hot encoding takes"
        + " (e.g. 'user0'); drop the column, or map its values to fewer categories", error(many.toString(), DataOptions.defaults()));
    assertEquals("data.csv:3:2: missing value in text column 'color'; fill it in, drop the row, or impute missing values (experiment: \"missing\": \"impute\" in the dataset section; strata train: --missing impute)",
        error("size,color,label\n1,red,a\n2,,b\n", DataOptions.defaults()));
  }
}
