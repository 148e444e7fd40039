package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same networks trained at 4, 8 and 16 lanes give the same bits: weights, batch-norm state and
 * every epoch's losses ({@link WidthFingerprint}). The width is fixed per JVM (the kernels' species is
 * a constant), so each width trains in a child JVM of its own. A width the host's CPU lacks runs the
 * Vector API's Java fallback, slowly but with the same IEEE operations.
 */
class VectorWidthIdentityTest {

  @Test
  void weightsAndLossesAreTheSameBitsAtFourEightAndSixteenLanes() throws Exception {
    String at4 = fingerprintsAt(128);
    assertEquals(WidthFingerprint.networks().size(), at4.lines().count(), at4);
    assertEquals(at4, fingerprintsAt(256), "8 lanes against 4");
    assertEquals(at4, fingerprintsAt(512), "16 lanes against 4");
  }

  private static String fingerprintsAt(int bits) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules=jdk.incubator.vector");
    cmd.add("-Dstrata.vector.bits=" + bits);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(WidthFingerprint.class.getName());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the " + bits + "-bit JVM did not finish in 5 minutes");
    }
    assertEquals(0, p.exitValue(), "exit code of the " + bits + "-bit JVM");
    return new String(out, StandardCharsets.UTF_8);
  }
}
