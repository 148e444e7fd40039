package dev.strata.experiments.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCodecTest {

  @Test
  void classificationAndRegressionSetsSurviveWithTheirHash() {
    for (String name : new String[] {"digits", "sine"}) {
      Dataset d = Datasets.load(name);
      Dataset back = DatasetCodec.decode(DatasetCodec.encode(d));
      assertEquals(d.hash(), back.hash(), name);
      assertEquals(d.name(), back.name());
      assertEquals(d.featureNames(), back.featureNames());
      assertEquals(d.classNames(), back.classNames());
      assertArrayEquals(d.x(), back.x());
    }
  }

  @Test
  void theCacheKeepsByHashAndDropsCorruptEntries(@TempDir Path dir) throws Exception {
    DatasetCache cache = new DatasetCache(dir);
    Dataset d = Datasets.load("xor");
    assertTrue(cache.get(d.hash()).isEmpty());
    cache.put(d.hash(), DatasetCodec.encode(d));
    assertEquals(d.hash(), cache.get(d.hash()).orElseThrow().hash());
    Files.write(cache.file(d.hash()), new byte[] {1, 2, 3});
    assertTrue(cache.get(d.hash()).isEmpty());
    assertTrue(Files.notExists(cache.file(d.hash())));
  }
}
