package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Missing values in CSV and ARFF: refused with the cell by default, imputed from the training part on request. */
class MissingValuesTest {

  private static final String CSV = "size,color,class\n1,red,a\n,blue,b\n3,?,a\n10,red,b\nNA,red,a\n";
  private static final DataOptions IMPUTE = DataOptions.defaults().withMissing(DataOptions.Missing.IMPUTE);

  @Test
  void missingIsALocatedErrorByDefault() {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> CsvLoader.parse(CSV, "d.csv", "d", DataOptions.defaults()));
    assertTrue(e.getMessage().startsWith("d.csv:3:1: missing value (column 'size');"), e.getMessage());
    assertTrue(e.getMessage().contains("\"missing\": \"impute\""), e.getMessage());
    DataFormatException text = assertThrows(DataFormatException.class,
        () -> CsvLoader.parse("size,color,class\n1,red,a\n3,,b\n", "d.csv", "d", DataOptions.defaults()));
    assertTrue(text.getMessage().startsWith("d.csv:3:2: missing value in text column 'color'"), text.getMessage());
  }

  @Test
  void imputeLoadsNaNAndFillsMedianAndMostFrequentFromTrainOnly() {
    Dataset d = CsvLoader.parse(CSV, "d.csv", "d", IMPUTE);
    assertEquals(List.of("size", "color=blue", "color=red"), d.featureNames());
    assertTrue(Float.isNaN(d.x()[3])); // row 2 size
    assertTrue(Float.isNaN(d.x()[7]) && Float.isNaN(d.x()[8])); // row 3 color
    Dataset train = d.slice(0, 4); // sizes 1, NaN, 3, 10 -> median 3; colors red, blue, ?, red -> red
    Preprocessor p = Preprocessor.fit(List.of(), train, true);
    assertArrayEquals(new double[] {3, 0, 1}, p.fill());
    Dataset out = p.apply(d);
    assertArrayEquals(new float[] {1, 0, 1, 3, 1, 0, 3, 0, 1, 10, 0, 1, 3, 0, 1}, out.x());
    // a held-out row is filled with the training statistics, not its own
    Dataset held = d.slice(4, 5);
    assertArrayEquals(new float[] {3, 0, 1}, p.apply(held).x());
  }

  @Test
  void imputationComesBeforeTheStepsAndSurvivesJson() {
    Dataset d = CsvLoader.parse(CSV, "d.csv", "d", IMPUTE);
    Preprocessor p = Preprocessor.fit(List.of("standardize"), d, true);
    for (float v : p.apply(d).x()) {
      assertFalse(Float.isNaN(v));
    }
    Preprocessor back = Preprocessor.fromJson(p.toJson());
    assertTrue(back.imputes());
    assertArrayEquals(p.apply(d).x(), back.apply(d).x());
    assertFalse(Preprocessor.fromJson(Preprocessor.fit(List.of("standardize"), d.slice(0, 1)).toJson()).imputes());
  }

  @Test
  void labelsAreNeverImputed() {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> CsvLoader.parse("a,class\n1,x\n2,\n", "d.csv", "d", IMPUTE));
    assertTrue(e.getMessage().startsWith("d.csv:3:2: missing label"), e.getMessage());
  }

  @Test
  void arffQuestionMarkIsRefusedOrImputed() {
    String arff = "@relation r\n@attribute a numeric\n@attribute c {x,y}\n@attribute class {p,q}\n@data\n"
        + "1,x,p\n?,y,q\n3,?,p\n";
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> ArffLoader.parse(arff, "r.arff", "r", DataOptions.defaults()));
    assertTrue(e.getMessage().startsWith("r.arff:7:1: missing value '?' for attribute 'a'"), e.getMessage());
    Dataset d = ArffLoader.parse(arff, "r.arff", "r", IMPUTE);
    Dataset filled = Preprocessor.fit(List.of(), d, true).apply(d);
    assertArrayEquals(new float[] {1, 1, 0, 2, 0, 1, 3, 1, 0}, filled.x());
  }

  @Test
  void predictionInputKeepsMissingAsNaNOnlyWhenTheModelImputes() {
    Dataset d = CsvLoader.parse(CSV, "d.csv", "d", IMPUTE);
    InputSchema schema = InputSchema.of(d, List.of());
    InputSchema.Input in = schema.readCsv("color,size\n,2\nblue,\n", "new.csv", true);
    assertEquals(2f, in.x()[0]);
    assertTrue(Float.isNaN(in.x()[1]) && Float.isNaN(in.x()[2]) && Float.isNaN(in.x()[3]));
    assertEquals(1f, in.x()[4]);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> schema.readCsv("color,size\nred,\n", "new.csv", false));
    assertTrue(e.getMessage().startsWith("new.csv:2:2: missing value (column 'size')"), e.getMessage());
    assertTrue(e.getMessage().contains("trained without imputation"), e.getMessage());
  }
}
