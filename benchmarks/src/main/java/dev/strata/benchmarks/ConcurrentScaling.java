package dev.strata.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Two concurrent trainings against one, interleaved in one JVM: two threads each own a {@link
 * TrainingBench} network (independent state, as two trials of a search), and the run alternates
 * slices where only the first trains with slices where both do. The ratio of each pair of slices
 * (two-training steps over one-training steps) is taken in the same time window, so the host's
 * minute-to-minute speed swings cancel; separate JMH runs minutes apart (one thread, then {@code
 * -t 2}) read anywhere from 1.5× to 2.7× for the same build on this VM.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * dev.strata.benchmarks.ConcurrentScaling [--net b] [--rounds 20] [--slice-ms MS] [--json FILE]}.
 * The order of the two slices flips each round. Prints the median ratio and its quartiles. Without
 * {@code --slice-ms} a slice lasts 300 ms or {@value #STEPS_PER_SLICE} single-training steps,
 * whichever is longer: a ratio of whole step counts over a few steps would be quantised.
 */
public final class ConcurrentScaling {

  /** Which threads train now: 1 = the first only, 2 = both, 0 = none (stop). */
  private volatile int active = 2;

  /** Steps of one training that the automatic slice lasts at least. */
  private static final int STEPS_PER_SLICE = 40;

  private final AtomicLongArray steps = new AtomicLongArray(2 * 16); // one counter per cache line

  private ConcurrentScaling() {}

  /** See the class comment. */
  public static void main(String[] args) throws Throwable {
    String usage = "ConcurrentScaling [--net b] [--rounds N] [--slice-ms MS] [--json FILE]";
    HarnessArgs options = HarnessArgs.parse(args, Set.of("--net", "--rounds", "--slice-ms", "--json"), usage);
    if (!options.positional().isEmpty()) {
      throw new IllegalArgumentException("unexpected " + options.positional() + "; usage: " + usage);
    }
    new ConcurrentScaling().run(options.text("--net", "b"), options.integer("--rounds", 20),
        options.integer("--slice-ms", 0) * 1_000_000L, options.path("--json"));
  }

  /** {@code sliceNanos} 0 picks the slice from the measured step rate (see the class comment). */
  private void run(String net, int rounds, long sliceNanos, Path json) throws Throwable {
    CountDownLatch ready = new CountDownLatch(2);
    Thread[] workers = new Thread[2];
    for (int w = 0; w < 2; w++) {
      int id = w;
      workers[w] = Thread.ofPlatform().name("training-" + w).start(() -> train(id, net, ready));
    }
    ready.await(); // both networks built and compiled (TrainingBench.setup steps until the rate settles)
    slice(2, 300_000_000L); // settle after set-up
    if (sliceNanos == 0) {
      double stepsPerSecond = slice(1, 300_000_000L);
      sliceNanos = Math.max(300_000_000L, (long) (STEPS_PER_SLICE / Math.max(stepsPerSecond, 1e-3) * 1e9));
    }
    Interleaved.Pairs pairs = Interleaved.run(rounds, sliceNanos, n -> slice(1, n), n -> slice(2, n));
    double[] one = pairs.first();
    double[] two = pairs.second();
    active = 0;
    for (Thread t : workers) {
      t.join();
    }
    double[] ratios = Interleaved.ratios(two, one);
    int batch = Nets.spec(net).training().batchSize();
    System.out.printf(Locale.ROOT, "net %s, %d rounds of %d ms slices: one training %.0f samples/s, two %.0f;"
        + " two/one %.2fx [q1 %.2f, q3 %.2f]%n", net, rounds, sliceNanos / 1_000_000, Quantiles.median(one) * batch,
        Quantiles.median(two) * batch, Quantiles.median(ratios), Quantiles.of(ratios, 0.25), Quantiles.of(ratios, 0.75));
    if (json != null) {
      Files.writeString(json, String.format(Locale.ROOT,
          "{\"net\": \"%s\", \"batch\": %d, \"one_steps_per_s\": %s, \"two_steps_per_s\": %s}%n", net, batch,
          Arrays.toString(one), Arrays.toString(two)));
    }
  }

  /** Lets {@code threads} train for about {@code nanos}; returns their summed steps per second. */
  private double slice(int threads, long nanos) throws InterruptedException {
    active = threads;
    Thread.sleep(2); // the idle thread notices within its park interval before counting starts
    long before = steps.get(0) + steps.get(16);
    long start = System.nanoTime();
    Thread.sleep(nanos / 1_000_000);
    long after = steps.get(0) + steps.get(16);
    return (after - before) * 1e9 / (System.nanoTime() - start);
  }

  private void train(int id, String net, CountDownLatch ready) {
    TrainingBench training = new TrainingBench();
    training.net = net;
    training.setup();
    ready.countDown();
    int slot = id * 16;
    while (true) {
      int now = active;
      if (now == 0) {
        return;
      }
      if (id < now) {
        training.step();
        steps.incrementAndGet(slot);
      } else {
        LockSupport.parkNanos(200_000); // idle without holding a core
      }
    }
  }
}
