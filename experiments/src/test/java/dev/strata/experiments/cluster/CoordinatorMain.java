package dev.strata.experiments.cluster;

import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.Resume;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.RunSummary;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunState;
import java.nio.file.Path;

/**
 * A coordinator JVM for the coordinator-loss test: runs, or resumes when the run directory holds
 * a run, {@link ClusterTestSupport#plan} through a {@link ClusterCoordinator} with no local slots,
 * so every trial runs on a worker process.
 *
 * <p>Usage: {@code CoordinatorMain RUN_DIR CLUSTER PORT BUS_PORT TRIALS PARALLEL EXPERIMENT_JSON}.
 * Exit code 0 when the run finished, 3 when it stopped.
 */
public final class CoordinatorMain {

  private CoordinatorMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    ClusterConfig config = ClusterTestSupport.coordinatorConfig(args[1], Integer.parseInt(args[2]),
        Integer.parseInt(args[3]), null);
    RunPlan plan = ClusterTestSupport.plan(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    RunSummary summary;
    try (ClusterCoordinator c = ClusterCoordinator.builder(config, args[6])
        .events(e -> System.err.println("event: " + e)).pullWait(java.time.Duration.ofSeconds(2)).start()) {
      System.err.println("coordinator up: " + c.describe());
      if (RunStore.exists(dir)) {
        try (Resume resume = Resume.open(dir)) {
          summary = resume.runner(plan, c).strategies(Fixtures.STRATEGIES).build().run();
        }
      } else {
        try (RunStore store = RunStore.create(dir, "cluster", "loss", plan.direction(), "{}")) {
          summary = Runner.builder(plan, c, store).strategies(Fixtures.STRATEGIES).build().run();
        }
      }
    }
    System.exit(summary.state() == RunState.FINISHED ? 0 : 3);
  }
}
