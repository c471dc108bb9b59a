package io.fulcrum;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    // The engine is a plain library that every module may use, not a Spring module: it is left out of
    // the module model, and EngineBoundaryTests keeps Spring out of it instead.
    private final ApplicationModules modules =
            ApplicationModules.of(FulcrumApplication.class, resideInAPackage("io.fulcrum.mtl.."));

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeDocumentation();
    }
}
