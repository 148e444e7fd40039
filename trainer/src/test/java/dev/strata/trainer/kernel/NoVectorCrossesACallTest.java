package dev.strata.trainer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import org.junit.jupiter.api.Test;

/**
 * No trainer method takes or returns a vector, mask or shuffle. When C2 leaves such a call out of
 * line (a large compile past its node budget, or a callee already compiled too big to inline), the
 * vectors are boxed on the heap and the callee runs the Vector API's Java fallback: a momentum
 * helper halved training (b) that way, and a gelu helper cost GELU networks about 20%. Kernels keep
 * vectors inside one method and pass arrays between methods.
 */
class NoVectorCrossesACallTest {

  /** Called once per reduction, after its loop: out of line it costs one boxed vector, not a loop. */
  private static final Set<String> ALLOWED = Set.of("dev.strata.trainer.kernel.VMath.sumLanes");

  @Test
  void noMethodOfTheTrainerTakesOrReturnsAVector() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(VMath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    try (Stream<Path> files = Files.walk(classes)) {
      names = files.map(classes::relativize).map(Path::toString).filter(f -> f.endsWith(".class"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.')).toList();
    }
    assertTrue(names.size() > 50, "found the trainer's classes in " + classes + ": " + names.size());
    List<String> offenders = new ArrayList<>();
    int methods = 0;
    for (String name : names) {
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      for (Method m : type.getDeclaredMethods()) {
        methods++;
        boolean vectorInSignature = isVector(m.getReturnType());
        for (Class<?> p : m.getParameterTypes()) {
          vectorInSignature |= isVector(p);
        }
        if (vectorInSignature && !ALLOWED.contains(name + "." + m.getName())) {
          offenders.add(m.toString());
        }
      }
    }
    assertTrue(methods > 500, "scanned " + methods + " methods");
    assertEquals(List.of(), offenders, "methods that pass vectors across a call");
  }

  @Test
  void theCheckRecognisesAVectorSignature() throws NoSuchMethodException {
    Method sumLanes = VMath.class.getDeclaredMethod("sumLanes", jdk.incubator.vector.FloatVector.class,
        jdk.incubator.vector.FloatVector.class, jdk.incubator.vector.FloatVector.class,
        jdk.incubator.vector.FloatVector.class);
    assertTrue(isVector(sumLanes.getParameterTypes()[0]));
    assertTrue(isVector(VectorMask.class) && isVector(VectorShuffle.class));
    assertTrue(!isVector(float[].class) && !isVector(jdk.incubator.vector.VectorSpecies.class));
  }

  private static boolean isVector(Class<?> c) {
    return Vector.class.isAssignableFrom(c) || VectorMask.class.isAssignableFrom(c)
        || VectorShuffle.class.isAssignableFrom(c);
  }
}
