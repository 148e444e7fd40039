package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save/load round trips and reproduction from provenance (spec + seed + dataset hash). */
class TrainedNetworkTest {

  private static final DataSplit DATA = ReproducibilityTest.DATA;

  @Test
  void savedAndLoadedNetworkPredictsIdentically(@TempDir Path dir) throws IOException {
    TrainingResult r = new Trainer().train(ReproducibilityTest.spec(7), DATA,
        TrainingControl.defaults().withStrataVersion("0.1.0-test"));
    TrainedNetwork original = r.network();
    Path file = dir.resolve("model.strata");
    original.save(file);
    TrainedNetwork loaded = TrainedNetwork.load(file);

    assertEquals(original.spec(), loaded.spec());
    assertEquals(original.provenance(), loaded.provenance());
    assertEquals("0.1.0-test", loaded.provenance().strataVersion());
    assertArrayEquals(original.parameters(), loaded.parameters());
    assertArrayEquals(original.state(), loaded.state());
    // All test rows, and more rows than the loaded network's 256-row buffers (chunked prediction).
    float[] x = DATA.test().x();
    assertArrayEquals(original.predict(x, DATA.test().rows()), loaded.predict(x, DATA.test().rows()));
    float[] many = DATA.train().x();
    int rows = DATA.train().rows();
    assertTrue(rows > 0);
    float[] big = new float[3 * rows * 2];
    for (int k = 0; k < 3; k++) {
      System.arraycopy(many, 0, big, k * rows * 2, rows * 2);
    }
    float[] p = loaded.predict(big, 3 * rows);
    assertArrayEquals(original.predict(big, 3 * rows), p);
    assertArrayEquals(Arrays.copyOf(p, rows * 3), Arrays.copyOfRange(p, rows * 3, 2 * rows * 3));
    assertArrayEquals(original.predictClasses(x, DATA.test().rows()), loaded.predictClasses(x, DATA.test().rows()));
    // Softmax probabilities sum to 1.
    float[] q = loaded.predict(x, 1);
    assertEquals(1.0, q[0] + q[1] + q[2], 1e-6);
  }

  @Test
  void retrainingFromProvenanceReproducesTheWeights(@TempDir Path dir) throws IOException {
    TrainedNetwork saved = new Trainer().train(ReproducibilityTest.spec(11), DATA).network();
    Path file = dir.resolve("m.strata");
    saved.save(file);
    TrainedNetwork loaded = TrainedNetwork.load(file);
    assertEquals(DatasetHash.of(DATA), loaded.provenance().datasetHash(), "same data");
    TrainedNetwork again = new Trainer().train(loaded.spec(), DATA).network();
    assertArrayEquals(loaded.parameters(), again.parameters());
  }

  @Test
  void corruptFilesGiveClearErrors(@TempDir Path dir) throws IOException {
    TrainedNetwork n = new Trainer().train(ReproducibilityTest.spec(1).withTraining(
        ReproducibilityTest.spec(1).training().withEpochs(1)), DATA).network();
    Path file = dir.resolve("m.strata");
    n.save(file);
    byte[] bytes = Files.readAllBytes(file);

    Path truncated = dir.resolve("truncated.strata");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
    IOException e = assertThrows(IOException.class, () -> TrainedNetwork.load(truncated));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());

    Path notAModel = dir.resolve("x.strata");
    Files.writeString(notAModel, "{\"inputs\": 2, \"outputs\": 2, \"padding\": 0}");
    e = assertThrows(IOException.class, () -> TrainedNetwork.load(notAModel));
    assertTrue(e.getMessage().contains("not a Strata model file"), e.getMessage());

    Path extra = dir.resolve("extra.strata");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 4);
    Files.write(extra, longer);
    e = assertThrows(IOException.class, () -> TrainedNetwork.load(extra));
    assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
  }
}
