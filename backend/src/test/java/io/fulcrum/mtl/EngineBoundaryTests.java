package io.fulcrum.mtl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine and the CLI run without the platform: no Spring, JPA or web types; the engine needs no other module. */
class EngineBoundaryTests {

    @Test
    void engineAndCliImportNoSpringJpaOrWebTypes() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.fulcrum.mtl", "io.fulcrum.cli");
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "jakarta.persistence..",
                        "jakarta.servlet..",
                        "jakarta.ws..",
                        "org.hibernate..")
                .check(classes);
    }

    @Test
    void theEngineImportsNoOtherFulcrumModule() {
        JavaClasses engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.fulcrum.mtl");
        noClasses()
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.fulcrum..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.fulcrum.mtl.."))))
                .because("the engine is reused and benchmarked alone; the platform depends on it, not the reverse")
                .check(engine);
    }
}
