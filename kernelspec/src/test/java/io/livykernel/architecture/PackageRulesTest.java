package io.livykernel.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the main code (kernel, magics and CLI, as compiled: classes folders under {@code mvn test},
 * the modules' jars under {@code mvn verify}): a change that breaks one fails the build with the offending
 * dependencies listed. README's Architecture section draws the same layers.
 */
class PackageRulesTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.livykernel");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        // Each package is its own slice, so a cycle between a package and its sub-package counts too.
        slices().matching("io.livykernel.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void theCellApiImportsNothingElseOfTheProject() {
        noClasses().that().resideInAPackage("io.livykernel.api..")
                .should().dependOnClassesThat(resideInAPackage("io.livykernel..")
                        .and(not(resideInAPackage("io.livykernel.api.."))))
                .check(main);
    }

    @Test
    void magicsSeeTheCellApiAndTheExtensionApiNotTheServerOrBackends() {
        noClasses().that().resideInAPackage("io.livykernel.magic..")
                .should().dependOnClassesThat().resideInAnyPackage("io.livykernel.protocol..",
                        "io.livykernel.execution..", "io.livykernel.backend.livy..", "io.livykernel.backend.local..",
                        "io.livykernel.cli..")
                .check(main);
    }

    @Test
    void theLivyRestClientKnowsNothingOfTheSessionLayerOrTheViews() {
        noClasses().that().resideInAPackage("io.livykernel.backend.livy.rest..")
                .should().dependOnClassesThat().resideInAnyPackage("io.livykernel.backend.livy",
                        "io.livykernel.backend.livy.view..")
                .check(main);
    }

    @Test
    void theLivyViewsShowRecordsAndKnowNothingOfTheSessionLayer() {
        noClasses().that().resideInAPackage("io.livykernel.backend.livy.view..")
                .should().dependOnClassesThat().resideInAPackage("io.livykernel.backend.livy")
                .check(main);
    }
}
