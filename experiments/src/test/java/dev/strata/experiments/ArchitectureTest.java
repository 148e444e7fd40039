package dev.strata.experiments;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/architecture.md, enforced. The experiments module sees every other
 * module on its test class path, so the rules over all of Strata's main classes live here.
 */
class ArchitectureTest {

  private static JavaClasses strata;

  @BeforeAll
  static void importMainClasses() {
    strata = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.strata");
    // Every module is imported (from class directories or, in a full build, from the jars).
    for (String c : List.of("dev.strata.common.DidYouMean", "dev.strata.trainer.kernel.VMath",
        "dev.strata.search.strategy.Strategy", "dev.strata.runs.RunReader", "dev.strata.dashboard.RunService", "dev.strata.experiments.run.Runner")) {
      assertTrue(strata.contain(c), c + " was not imported");
    }
  }

  /**
   * Modules: common below all; trainer and search-core know nothing of each other; run-records (the
   * read side of a run, package dev.strata.runs) above search-core, shared by the dashboard and the
   * application on top.
   */
  @Test
  void modulesAreLayered() {
    ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("common").definedBy("dev.strata.common..")
        .layer("trainer").definedBy("dev.strata.trainer..")
        .layer("search-core").definedBy("dev.strata.search..")
        .layer("runs").definedBy("dev.strata.runs..")
        .layer("dashboard").definedBy("dev.strata.dashboard..")
        .layer("experiments").definedBy("dev.strata.experiments..")
        .whereLayer("experiments").mayNotBeAccessedByAnyLayer()
        .whereLayer("dashboard").mayOnlyBeAccessedByLayers("experiments")
        .whereLayer("trainer").mayOnlyBeAccessedByLayers("experiments")
        .whereLayer("runs").mayOnlyBeAccessedByLayers("dashboard", "experiments")
        .whereLayer("search-core").mayOnlyBeAccessedByLayers("runs", "dashboard", "experiments")
        .whereLayer("common").mayOnlyBeAccessedByLayers("trainer", "search-core", "runs", "dashboard", "experiments");
    rule.check(strata);
  }

  /** Inside the application: the CLI on top, the spec and the store at the bottom. */
  @Test
  void experimentsPackagesAreLayered() {
    String p = "dev.strata.experiments.";
    ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("cli").definedBy(p + "cli..")
        .layer("cluster").definedBy(p + "cluster..")
        .layer("report").definedBy(p + "report..")
        .layer("objective").definedBy(p + "objective..")
        .layer("mapping").definedBy(p + "mapping..")
        .layer("run").definedBy(p + "run..")
        .layer("spec").definedBy(p + "spec..")
        .layer("store").definedBy(p + "store..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("cluster").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("objective").mayOnlyBeAccessedByLayers("cli", "cluster")
        .whereLayer("mapping").mayOnlyBeAccessedByLayers("cli", "cluster", "report", "objective")
        .whereLayer("run").mayOnlyBeAccessedByLayers("cli", "cluster", "objective")
        .whereLayer("spec").mayOnlyBeAccessedByLayers("cli", "cluster", "objective", "run")
        .whereLayer("store").mayOnlyBeAccessedByLayers("cli", "cluster", "run");
    rule.check(strata);
  }

  /** No cycles between the packages of any module (each package is a slice). */
  @Test
  void noPackageCycles() {
    slices().matching("dev.strata.(**)").should().beFreeOfCycles().check(strata);
  }

  /** All Vector API code lives in the trainer's kernel package; vector types never leave it. */
  @Test
  void vectorApiOnlyInTheKernels() {
    noClasses().that().resideOutsideOfPackage("dev.strata.trainer.kernel..")
        .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
        .check(strata);
  }

  /** The dashboard reads runs through run-records' RunReader, never the store's SQL. */
  @Test
  void dashboardNeverTouchesTheStoresSql() {
    noClasses().that().resideInAPackage("dev.strata.dashboard..")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..",
            "dev.strata.experiments.store..")
        .check(strata);
  }

  /** search-core is a library: no application, web or database dependencies. */
  @Test
  void searchCoreIsALibrary() {
    noClasses().that().resideInAPackage("dev.strata.search..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "java.sql..", "org.sqlite..", "picocli..")
        .check(strata);
  }

  /** One place runs an evaluator, for local threads, a coordinator's local slots and cluster workers alike. */
  @Test
  void evaluatorsRunOnlyThroughTaskRun() {
    noClasses().that().doNotHaveFullyQualifiedName("dev.strata.experiments.run.TaskRun")
        .should().callMethod(dev.strata.experiments.run.TrialEvaluator.class, "evaluate",
            dev.strata.search.trial.Configuration.class, dev.strata.experiments.run.TrialContext.class)
        .check(strata);
  }
}
