package dev.strata.experiments.cli;

import dev.strata.dashboard.NetworkInspector;
import dev.strata.trainer.analysis.InitAnalysis;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import java.util.Locale;

/**
 * The dashboard's analysis of a trial's network at initialisation: {@code strata inspect SPEC
 * --rows 16 --json} on the trial's stored spec, with synthetic N(0, 1) inputs (the dashboard has no
 * data loaded; standardised data has that mean square, which is what the theory assumes). Bounded
 * so that a page view cannot stall a search beside it: networks above {@value #MAX_FLOPS} forward
 * FLOPs for the batch or {@value #MAX_BYTES} bytes of buffers are refused with a message naming
 * {@code strata inspect}. Stateless and thread-safe.
 */
final class TrialNetworkInspector implements NetworkInspector {

  /** Rows of the measured batch: enough for per-layer variances, a sixteenth of inspect's cost. */
  static final int ROWS = 16;
  /** Forward FLOPs of the batch above which the page does not analyse (about a second of one core). */
  static final long MAX_FLOPS = 2_000_000_000L;
  static final long MAX_BYTES = 256L << 20;

  @Override
  public String inspect(String networkSpecJson) {
    NetworkSpec spec = NetworkSpecs.parse(networkSpecJson, "<trial network>");
    Network planned = Network.of(spec);
    long flops = planned.flopsPerSample() * ROWS;
    long bytes = planned.fitsArrays(ROWS) ? planned.bytesFor(ROWS) : Long.MAX_VALUE;
    if (flops > MAX_FLOPS || bytes > MAX_BYTES) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the network is too large to analyse here (%.1f GFLOP and %d MB for %d rows, limits %.0f GFLOP and %d MB); "
              + "run strata inspect on its spec instead", flops / 1e9, bytes >> 20, ROWS, MAX_FLOPS / 1e9, MAX_BYTES >> 20));
    }
    return InspectCommand.toJson(InitAnalysis.inspectSynthetic(spec, ROWS));
  }
}
