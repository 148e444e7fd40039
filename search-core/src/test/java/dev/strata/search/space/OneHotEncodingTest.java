package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OneHotEncodingTest {

  private static final ParameterSpace NESTED = SpaceReader.parse(SpaceFixtures.NESTED, "nested.json");

  @Test
  void sizeCountsOneColumnPerChoiceAndPerNumber() {
    ParameterSpace space = ParameterSpace.of(ChoiceParameter.of("a", "x", "y", "z"),
        FloatParameter.of("f", 1e-3, 1).withLog(true), IntParameter.of("n", 1, 5), ConstantParameter.of("c", 1));
    OneHotEncoding encoding = OneHotEncoding.of(space);
    assertEquals(5, encoding.size());
    assertEquals(List.of("a=x", "a=y", "a=z", "f", "n"), encoding.columnNames());
    double[] x = encoding.encode(Configuration.of(Map.of("a", "y", "f", 0.01, "n", 5L, "c", 1L)));
    assertArrayEquals(new double[] {0, 1, 0, 1.0 / 3, 0.9}, x, 1e-12);
  }

  @Test
  void roundTripsSamplesOfANestedSpace() {
    OneHotEncoding encoding = OneHotEncoding.of(NESTED);
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 500; i++) {
      Configuration c = NESTED.sample(random);
      double[] x = encoding.encode(c);
      assertEquals(encoding.size(), x.length);
      for (double v : x) {
        assertTrue(v >= 0 && v <= 1);
      }
      assertEquals(c, encoding.decode(x));
    }
  }

  @Test
  void inactiveDimensionsAreZerosOrOneHalf() {
    ParameterSpace space = ParameterSpace.of(ChoiceParameter.of("opt", "sgd", "adam"),
        ChoiceParameter.of("amsgrad", true, false).withWhen(Condition.of("opt", "adam")),
        FloatParameter.of("beta", 0.8, 0.99).withWhen(Condition.of("opt", "adam")));
    OneHotEncoding encoding = OneHotEncoding.of(space);
    double[] x = encoding.encode(Configuration.of(Map.of("opt", "sgd")));
    assertArrayEquals(new double[] {1, 0, 0, 0, OneHotEncoding.INACTIVE}, x);
  }

  @Test
  void anyVectorDecodesToAValidConfiguration() {
    OneHotEncoding encoding = OneHotEncoding.of(NESTED);
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 200; i++) {
      double[] x = new double[encoding.size()];
      for (int k = 0; k < x.length; k++) {
        x[k] = random.nextDouble(-0.2, 1.2);
      }
      NESTED.validate(encoding.decode(x));
    }
  }
}
