package dev.strata.trainer.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Image specs: shapes through the blocks, and one located line for every mistake. */
class ImageSpecTest {

  private static final String IMAGE = "\"image\": {\"channels\": 1, \"height\": 28, \"width\": 28}, \"outputs\": 10, ";

  private static String error(String json) {
    SpecException e = assertThrows(SpecException.class, () -> NetworkSpecs.parse(json, "spec.json"));
    assertTrue(e.getMessage().startsWith("spec.json:"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  private static String blocks(String blocks) {
    return "{" + IMAGE + "\"blocks\": [" + blocks + "]}";
  }

  @Test
  void shapesFollowTheBlocks() {
    NetworkSpec s = NetworkSpecs.fromJson(blocks("{\"type\": \"conv\", \"filters\": 8, \"stride\": 2},"
        + "{\"type\": \"pool\", \"size\": 3, \"stride\": 2, \"padding\": 1},"
        + "{\"type\": \"conv\", \"filters\": 6, \"padding\": \"valid\", \"dilation\": 2},"
        + "{\"type\": \"pool\", \"mode\": \"global\"}, {\"type\": \"plain\", \"width\": 12}"));
    assertEquals(784, s.inputs());
    List<NetworkSpec.Shape> shapes = s.shapes();
    assertEquals(ImageShape.of(8, 14, 14), shapes.get(0).image());
    assertEquals(ImageShape.of(8, 7, 7), shapes.get(1).image());
    assertEquals(ImageShape.of(6, 3, 3), shapes.get(2).image());
    assertEquals(ImageShape.of(6, 1, 1), shapes.get(3).image());
    assertEquals(null, shapes.get(4).image());
    assertEquals(12, s.lastHiddenWidth());
  }

  @Test
  void everyMistakeIsOneLocatedLine() {
    assertTrue(error("{\"inputs\": 784, \"outputs\": 10, \"blocks\": [{\"type\": \"conv\", \"filters\": 8}]}")
        .contains("/blocks/0: an image block needs an image input"));
    assertTrue(error(blocks("{\"type\": \"plain\", \"width\": 8}, {\"type\": \"conv\", \"filters\": 8}"))
        .contains("/blocks/1: an image block cannot follow a dense block"));
    assertTrue(error(blocks("{\"type\": \"conv\", \"filters\": 8, \"kernel\": 4}"))
        .contains("/blocks/0/kernel: 'same' padding needs an odd kernel, got 4"));
    assertTrue(error(blocks("{\"type\": \"pool\", \"size\": 4}, {\"type\": \"pool\", \"size\": 4},"
        + "{\"type\": \"conv\", \"filters\": 8, \"kernel\": 3, \"padding\": \"valid\", \"repeat\": 2}"))
        .contains("/blocks/2/kernel: a window of 3 pixels does not fit the 1x1 input"));
    assertTrue(error(blocks("{\"type\": \"conv\", \"filters\": 8, \"kernal\": 3}"))
        .contains("/blocks/0/kernal: unknown field 'kernal' (did you mean 'kernel'?)"));
    assertTrue(error(blocks("{\"type\": \"conv\", \"filter\": 8}")).contains("/blocks/0/filters: is missing (or misspelled)"));
    assertTrue(error(blocks("{\"type\": \"conv\", \"kernel\": 3}")).contains("/blocks/0/filters: is missing"));
    assertTrue(error(blocks("{\"type\": \"conv\", \"filters\": 8}, {\"type\": \"conv\", \"filters\": 6, \"groups\": 3}"))
        .contains("/blocks/1/groups: must divide the 8 input channels, got 3"));
    assertTrue(error(blocks("{\"type\": \"conv\", \"filters\": 9, \"depthwise\": true},"
        + "{\"type\": \"conv\", \"filters\": 4, \"depthwise\": true}"))
        .contains("/blocks/1/filters: must be a multiple of the 9 groups (depthwise: the input channels), got 4"));
    assertTrue(error(blocks("{\"type\": \"pool\", \"size\": 2, \"padding\": 2}"))
        .contains("/blocks/0/padding: must be at most half the window (1), got 2"));
    assertTrue(error(blocks("{\"type\": \"pool\", \"mode\": \"maximum\"}")).contains("/blocks/0/mode"));
    assertTrue(error(blocks("{\"type\": \"conv_inception\", \"branches\": [{\"filters\": 4}, {\"filters\": 4,"
        + " \"kernel\": 2}]}")).contains("/blocks/0/branches/1/kernel: must be odd"));
    assertTrue(error(blocks("{\"type\": \"conv_residul\", \"filters\": 4}"))
        .contains("/blocks/0/type: unknown block type 'conv_residul' (did you mean 'conv_residual'?)"));
    assertTrue(error("{\"inputs\": 100, " + IMAGE + "\"blocks\": []}")
        .contains("/inputs: must be channels x height x width of 'image' (1x28x28 = 784), got 100"));
    assertTrue(error("{\"image\": {\"channels\": 0, \"height\": 28, \"width\": 28}, \"outputs\": 10}")
        .contains("/image/channels: must be >= 1"));
    assertTrue(error(blocks("{\"type\": \"conv\", \"filters\": 8, \"separable\": true, \"groups\": 2}"))
        .contains("/blocks/0/separable"));
  }
}
