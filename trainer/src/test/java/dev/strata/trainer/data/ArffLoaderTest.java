package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArffLoaderTest {

  @TempDir Path dir;

  static final String WEATHER = """
      % The classic weather data, trimmed.
      @RELATION weather

      @attribute outlook {sunny, overcast, 'rainy day'}
      @attribute temperature numeric
      @attribute 'relative humidity' REAL
      @attribute windy {TRUE, FALSE}
      @attribute play {yes, no}

      @data
      % comment inside data
      sunny,85,85,FALSE,no
      'rainy day', 70, 96, TRUE, yes
      overcast,64.5,6.5e1,TRUE,yes
      """;

  private static Dataset parse(String text, DataOptions options) {
    return ArffLoader.parse(text, "w.arff", "w", options);
  }

  private static String error(String text) {
    return assertThrows(DataFormatException.class, () -> parse(text, DataOptions.defaults())).getMessage();
  }

  @Test
  void numericAndNominalWithOneHotFeatures() {
    Dataset d = parse(WEATHER, DataOptions.defaults());
    assertEquals("weather", d.name());
    assertEquals(3, d.rows());
    assertEquals(List.of("outlook=sunny", "outlook=overcast", "outlook=rainy day", "temperature", "relative humidity",
        "windy=TRUE", "windy=FALSE"), d.featureNames());
    assertEquals(List.of("yes", "no"), d.classNames(), "declaration order, not sorted");
    assertArrayEquals(new int[] {1, 0, 0}, d.labels());
    assertArrayEquals(new float[] {
        1, 0, 0, 85, 85, 0, 1,
        0, 0, 1, 70, 96, 1, 0,
        0, 1, 0, 64.5f, 65, 1, 0}, d.x());
  }

  @Test
  void integerCodesOnRequest() {
    Dataset d = parse(WEATHER, DataOptions.defaults().withNominal(DataOptions.NominalEncoding.CODES));
    assertEquals(List.of("outlook", "temperature", "relative humidity", "windy"), d.featureNames());
    assertArrayEquals(new float[] {0, 85, 85, 1, 2, 70, 96, 0, 1, 64.5f, 65, 0}, d.x());
  }

  @Test
  void classByNameAndNumericClassMeansRegression() throws IOException {
    Dataset byName = parse(WEATHER, DataOptions.defaults().withLabel("windy"));
    assertEquals(List.of("TRUE", "FALSE"), byName.classNames());
    assertTrue(byName.featureNames().contains("play=yes"));
    Dataset reg = parse(WEATHER, DataOptions.defaults().withLabel("temperature"));
    assertEquals(false, reg.isClassification());
    assertArrayEquals(new float[] {85, 70, 64.5f}, reg.targets());
    Path p = dir.resolve("weather.arff");
    Files.writeString(p, WEATHER);
    assertEquals(3, Datasets.load("arff:" + p).rows());
  }

  @Test
  void errorsCarryLineNumbers() {
    String badNumber = WEATHER.replace("overcast,64.5,", "overcast,hot,");
    assertEquals("w.arff:14:2: expected a number, got 'hot' (attribute 'temperature' is numeric); fix the value or declare"
        + " the attribute nominal", error(badNumber));
    String badNominal = WEATHER.replace("sunny,85", "snowy,85");
    assertEquals("w.arff:12:1: 'snowy' is not a declared value of attribute 'outlook' {sunny, overcast, rainy day};"
        + " fix the value or add it to the declaration on line 4", error(badNominal));
    assertEquals("w.arff:12: row has 4 values, 5 attributes are declared; fix the row",
        error(WEATHER.replace("sunny,85,85,FALSE,no", "sunny,85,85,no")));
    assertTrue(error(WEATHER.replace("temperature numeric", "temperature string"))
        .startsWith("w.arff:5: attribute 'temperature' has type string, which is not supported"));
    assertTrue(error(WEATHER.replace("sunny,85,85,FALSE,no", "{0 sunny, 4 no}")).startsWith("w.arff:12: sparse rows"));
    assertTrue(error(WEATHER.replace("sunny,85,85", "sunny,?,85")).startsWith("w.arff:12:2: missing value '?'"));
    assertEquals("w.arff:12: unexpected text before @data: 'sunny,85,85,FALSE,no'; declare attributes with @attribute"
        + " and start the rows with @data", error(WEATHER.replace("@data", "")));
    assertTrue(error(WEATHER.substring(0, WEATHER.indexOf("@data"))).contains("no @data section"));
    assertTrue(error(WEATHER.replace("@attribute windy", "@atribute windy")).startsWith("w.arff:7: unknown declaration '@atribute'"));
  }
}
