package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.data.Splitter;
import org.junit.jupiter.api.Test;

class DatasetHashTest {

  @Test
  void hashDependsOnContentOnly() {
    DataSplit a = Splitter.split(Generators.spiral(2, 50, 0.1, 1), 0.2, 0.2, 1);
    DataSplit b = Splitter.split(Generators.spiral(2, 50, 0.1, 1), 0.2, 0.2, 1);
    String h = DatasetHash.of(a);
    assertTrue(h.matches("sha256:[0-9a-f]{64}"), h);
    assertEquals(h, DatasetHash.of(b));
    float[] x = a.train().x().clone();
    x[0] = Math.nextUp(x[0]);
    Dataset t = a.train();
    Dataset changed = new Dataset(t.name(), x, t.rows(), t.features(), t.labels(), null, 0, t.featureNames(), t.classNames());
    assertNotEquals(h, DatasetHash.of(new DataSplit(changed, a.validation(), a.test())));
    assertNotEquals(h, DatasetHash.of(Splitter.split(Generators.spiral(2, 50, 0.1, 1), 0.2, 0.2, 2)), "another split");
  }
}
