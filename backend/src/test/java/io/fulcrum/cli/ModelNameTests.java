package io.fulcrum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.mtl.model.Architecture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line's model names: architecture, -norm for expert normalisation, @method for balancing. */
class ModelNameTests {

    @Test
    void readsNormalisationAndBalancing() {
        ModelName plain = ModelName.parse("ple").orElseThrow();
        assertThat(plain.architecture()).isEqualTo(Architecture.PLE);
        assertThat(plain.expertNorm()).isFalse();
        assertThat(plain.balancing().active()).isFalse();

        ModelName both = ModelName.parse("cgc-norm@cagrad").orElseThrow();
        assertThat(both.architecture()).isEqualTo(Architecture.CGC);
        assertThat(both.expertNorm()).isTrue();
        assertThat(both.balancing().method()).isEqualTo("cagrad");
    }

    @Test
    void refusesWhatNoModelIs() {
        for (String name : List.of("single@pcgrad", "ple@none", "ple@adam", "shared-bottom-norm", "esmm-norm", "")) {
            assertThat(ModelName.parse(name)).as(name).isEmpty();
        }
        assertThatThrownBy(() -> ModelName.check(List.of("ple", "ple@sgd")))
                .hasMessageContaining("--models: unknown 'ple@sgd'")
                .hasMessageContaining("@cagrad");
    }
}
