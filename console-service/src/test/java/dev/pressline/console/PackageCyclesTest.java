package dev.pressline.console;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Fails when two feature packages of this module's main code import each other, directly or round a
 * longer loop: each package is one concern that can be read and changed on its own. The module is
 * the package this test sits in, so the same file works unchanged in any module.
 */
@AnalyzeClasses(packagesOf = PackageCyclesTest.class, importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      slices()
          .matching(PackageCyclesTest.class.getPackageName() + ".(*)..")
          .namingSlices("package $1")
          .should()
          .beFreeOfCycles()
          // a module with a single package has no slices to compare; that is no cycle
          .allowEmptyShould(true);
}
