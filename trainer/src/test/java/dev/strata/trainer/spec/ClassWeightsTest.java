package dev.strata.trainer.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassWeightsTest {

  @Test
  void balancedIsNOverKTimesTheClassCount() {
    // 6 rows of class 0, 2 of class 1: 8 / (2 * 6) and 8 / (2 * 2); an empty class gets 1
    assertArrayEquals(new double[] {8.0 / 12, 2.0}, ClassWeights.balancedWeights().resolve(new int[] {6, 2}), 1e-12);
    assertArrayEquals(new double[] {0.5, 1.0}, ClassWeights.balancedWeights().resolve(new int[] {4, 0}), 1e-12);
    assertArrayEquals(new double[] {1, 3}, ClassWeights.of(1, 3).resolve(new int[] {5, 5}), 0);
  }

  @Test
  void jsonTakesBalancedOrOneWeightPerClassAndRoundTrips() {
    String base = "{\"inputs\": 2, \"outputs\": 2, \"training\": {\"classWeights\": %s}}";
    NetworkSpec balanced = NetworkSpecs.parse(base.formatted("\"balanced\""), "n.json");
    assertTrue(balanced.training().classWeights().balanced());
    NetworkSpec listed = NetworkSpecs.parse(base.formatted("[1, 2.5]"), "n.json");
    assertEquals(List.of(1.0, 2.5), listed.training().classWeights().weights());
    assertEquals(listed, NetworkSpecs.fromJson(NetworkSpecs.toJson(listed)));
    assertEquals(balanced, NetworkSpecs.fromJson(NetworkSpecs.toJson(balanced)));
    // a spec without weights writes no key, so older files and hashes do not change
    assertTrue(!NetworkSpecs.toJson(NetworkSpec.builder().inputs(2).outputs(2).build()).contains("classWeights"));

    SpecException typo = assertThrows(SpecException.class, () -> NetworkSpecs.parse(base.formatted("\"balance\""), "n.json"));
    assertTrue(typo.getMessage().contains("/training/classWeights: unknown class weighting 'balance'"), typo.getMessage());
    SpecException negative = assertThrows(SpecException.class, () -> NetworkSpecs.parse(base.formatted("[1, -2]"), "n.json"));
    assertTrue(negative.getMessage().contains("/training/classWeights/1: must be a finite number >= 0"), negative.getMessage());
    SpecException zeros = assertThrows(SpecException.class, () -> NetworkSpecs.parse(base.formatted("[0, 0]"), "n.json"));
    assertTrue(zeros.getMessage().contains("every weight is 0"), zeros.getMessage());
  }

  @Test
  void augmentationJson() {
    String base = "{\"image\": {\"channels\": 1, \"height\": 4, \"width\": 4}, \"outputs\": 2, \"training\": {\"augment\": %s}}";
    NetworkSpec s = NetworkSpecs.parse(base.formatted("{\"crop\": 2, \"flip\": true}"), "n.json");
    assertEquals(new Augmentation(2, true), s.training().augment());
    assertEquals(s, NetworkSpecs.fromJson(NetworkSpecs.toJson(s)));
    SpecException none = assertThrows(SpecException.class, () -> NetworkSpecs.parse(base.formatted("{}"), "n.json"));
    assertTrue(none.getMessage().contains("/training/augment"), none.getMessage());
    SpecException bad = assertThrows(SpecException.class, () -> NetworkSpecs.parse(base.formatted("{\"crop\": -1}"), "n.json"));
    assertTrue(bad.getMessage().contains("/training/augment/crop"), bad.getMessage());
  }
}
