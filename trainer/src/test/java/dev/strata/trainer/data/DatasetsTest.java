package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

  @TempDir Path dir;

  private static String error(String source) {
    return assertThrows(DataFormatException.class, () -> Datasets.load(source)).getMessage();
  }

  @Test
  void unknownNameSuggestsTheClosestBuiltin() {
    assertEquals("unknown dataset 'digitz' (did you mean 'digits'?); built-ins: digits, xor, spiral, circles, moons, blobs,"
        + " sine, speech-like, or use csv:PATH, arff:PATH, idx:DIR, cifar:DIR, images:DIR", error("digitz"));
    assertTrue(error("speechlike").contains("(did you mean 'speech-like'?)"));
    assertTrue(error("imagenet").startsWith("unknown dataset 'imagenet'; built-ins: "));
    assertTrue(error("data/iris.csv").contains("(did you mean 'csv:data/iris.csv'?)"));
    assertTrue(error("cvs:iris.csv").startsWith("unknown dataset source 'cvs:' in 'cvs:iris.csv' (did you mean 'csv:iris.csv'?)"));
    assertTrue(error("csv:").contains("names no file"));
  }

  @Test
  void listedShapesMatchWhatLoads() {
    for (Datasets.Info info : Datasets.list()) {
      Dataset d = Datasets.load(info.name());
      assertEquals(info.rows(), d.rows(), info.name());
      assertEquals(info.features(), d.features(), info.name());
      assertEquals(info.outputs(), d.isClassification() ? d.classes() : d.outputs(), info.name());
      assertEquals(info.task().equals("classification"), d.isClassification(), info.name());
      assertEquals(info.shape(), d.shape(), info.name());
      assertTrue(!info.description().isBlank());
    }
    assertEquals("1797 x 64 -> 10 classes", Datasets.list().getFirst().shape());
  }

  @Test
  void optionsReachTheGenerators() {
    DataOptions o = DataOptions.builder().samples(30).classes(5).noise(0.0).seed(9).build();
    assertEquals(150, Datasets.load("spiral", o).rows());
    assertEquals(5, Datasets.load("SPIRAL", o).classes());
    assertEquals(30, Datasets.load("xor", o).rows());
    assertEquals(4, Datasets.load("xor").rows());
    assertEquals(Datasets.load("blobs", o).hash(), Datasets.load("blobs", o).hash());
    assertTrue(!Datasets.load("blobs", o).hash().equals(Datasets.load("blobs", o.withSeed(10)).hash()));
  }

  @Test
  void csvSourceUsesLabelAndRegressionOptions() throws IOException {
    Path p = dir.resolve("t.csv");
    Files.writeString(p, "a,b,y\n1,2,0.5\n3,4,1.5\n");
    Dataset d = Datasets.load("csv:" + p, DataOptions.defaults().withRegression(true));
    assertEquals(1, d.outputs());
    assertEquals(2, d.features());
    Dataset c = Datasets.load("csv:" + p, DataOptions.defaults().withLabel("a"));
    assertEquals(2, c.classes());
  }
}
