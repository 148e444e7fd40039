package dev.strata.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  void rescalesOnlyAboveTheLimit() {
    float[] g = {3, 4, 0};
    assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 3, 10), 1e-12);
    assertArrayEquals(new float[] {3, 4, 0}, g);
    assertEquals(5.0, GradientClipping.clipByGlobalNorm(g, 3, 1), 1e-12);
    assertArrayEquals(new float[] {0.6f, 0.8f, 0}, g, 1e-7f);
    assertEquals(1.0, GradientClipping.clipByGlobalNorm(g, 3, 0), 1e-6); // 0 disables
  }
}
