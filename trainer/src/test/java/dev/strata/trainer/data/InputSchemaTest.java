package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The input schema: columns and one-hot maps recovered from a loaded file, new data encoded by name. */
class InputSchemaTest {

  private static final String ARFF = """
      @relation paint
      @attribute size numeric
      @attribute color {red, green, blue}
      @attribute class {good, bad}
      @data
      1.5, red, good
      2.5, blue, bad
      3.0, green, good
      """;

  private static InputSchema schema() {
    Dataset raw = ArffLoader.parse(ARFF, "paint.arff", "paint", DataOptions.defaults());
    return InputSchema.of(raw, List.of());
  }

  @Test
  void recoversNumericAndNominalColumnsFromFeatureNames() {
    InputSchema s = schema();
    assertEquals(List.of(new InputSchema.Column("size", null),
        new InputSchema.Column("color", List.of("red", "green", "blue"))), s.columns());
    assertEquals(List.of("size", "color=red", "color=green", "color=blue"), s.featureNames());
    assertEquals(List.of("good", "bad"), s.classNames());
    assertEquals(s, InputSchema.fromJson(s.toJson()), "JSON round trip");
  }

  @Test
  void csvIsMatchedByNameWithTheLabelOptional() {
    InputSchema.Input in = schema().readCsv("id,color,size\n7,blue,4\n8,red,0.5\n", "new.csv");
    assertArrayEquals(new float[] {4, 0, 0, 1, 0.5f, 1, 0, 0}, in.x());
    assertNull(in.labels());
    assertEquals(List.of("id"), in.ignoredColumns());
    InputSchema.Input labelled = schema().readCsv("size,color,class\n1,green,bad\n", "l.csv");
    assertArrayEquals(new int[] {1}, labelled.labels(), "class 'bad' is the model's class 1");
  }

  @Test
  void anUnseenCategoryIsLocated() {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> schema().readCsv("size,color\n1,red\n2,purple\n", "new.csv"));
    assertEquals("new.csv:3:2: value 'purple' in column 'color' was not seen in training; the model knows red, green, blue;"
        + " map it to one of them or drop the row", e.getMessage());
  }

  @Test
  void arffInputIsMatchedByFeatureNameAndNewDeclaredValuesAreFineUntilUsed() {
    String declaresMore = ARFF.replace("{red, green, blue}", "{blue, red, green, purple}");
    Dataset data = ArffLoader.parse(declaresMore, "more.arff", "more", DataOptions.defaults());
    InputSchema.Input in = schema().encode(data, "more.arff");
    assertArrayEquals(new float[] {1.5f, 1, 0, 0, 2.5f, 0, 0, 1, 3, 0, 1, 0}, in.x());
    Dataset used = ArffLoader.parse(declaresMore + "4.0, purple, bad\n", "more.arff", "more", DataOptions.defaults());
    DataFormatException e = assertThrows(DataFormatException.class, () -> schema().encode(used, "more.arff"));
    assertTrue(e.getMessage().startsWith("more.arff: row 4: value 'purple' in column 'color' was not seen in training"),
        e.getMessage());
  }

  @Test
  void aWrongImageSizeNamesBothSizes() {
    List<String> pixels28 = new java.util.ArrayList<>();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        pixels28.add("pixel_" + r + "_" + c);
      }
    }
    Dataset img = new Dataset("img", new float[12], 1, 12, new int[] {0}, null, 0, pixels28, List.of("0", "1"));
    InputSchema s = InputSchema.of(img, List.of());
    assertEquals(List.of(3, 4), s.imageShape());
    Dataset small = new Dataset("small", new float[4], 1, 4, new int[] {0}, null, 0,
        List.of("pixel_0_0", "pixel_0_1", "pixel_1_0", "pixel_1_1"), List.of("0", "1"));
    DataFormatException e = assertThrows(DataFormatException.class, () -> s.encode(small, "idx:small"));
    assertEquals("idx:small: the model takes 3x4 images (12 pixels), this data has 2x2 (4 pixels) per image;"
        + " resize the images to 3x4", e.getMessage());
  }

  @Test
  void aCsvTextColumnIsANominalColumnOfTheSchema() {
    Dataset raw = CsvLoader.parse("size,color,label\n1,red,a\n2,blue,b\n", "t.csv", "t", DataOptions.defaults());
    InputSchema s = InputSchema.of(raw, List.of());
    assertEquals(new InputSchema.Column("color", List.of("blue", "red")), s.columns().get(1));
    assertArrayEquals(new float[] {5, 0, 1}, s.readCsv("color,size\nred,5\n", "new.csv").x());
    DataFormatException e = assertThrows(DataFormatException.class, () -> s.readCsv("color,size\ngreen,5\n", "new.csv"));
    assertTrue(e.getMessage().startsWith("new.csv:2:1: value 'green' in column 'color' was not seen in training"), e.getMessage());
  }
}
