package io.fulcrum.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.Test;

/** What a worker reports of its engine, and when it warns that it fell back to the CPU. */
class CapabilitiesTests {

    @Test
    void theEngineIsNamedWithItsVersionAndFlavour() {
        Capabilities caps = Capabilities.detect(false);

        assertThat(caps.engine()).matches("PyTorch \\d+\\.\\d+\\.\\d+ \\((cpu|cuda)\\)");
        assertThat(caps.warning()).isNull();
    }

    @Test
    void aWorkerThatExpectedGpusAndSeesNoneWarns() {
        Capabilities caps = Capabilities.detect(true);
        assumeThat(caps.gpuCount()).as("a machine without GPUs").isZero();

        assertThat(caps.warning()).startsWith("GPUs were expected, but " + caps.engine() + " sees none");
        assertThat(Capabilities.fallbackWarning(true, 1, caps.engine())).isNull();
        assertThat(Capabilities.fallbackWarning(false, 0, caps.engine())).isNull();
    }

    @Test
    void gpusAreExpectedWhenConfiguredOrWhenTheContainerPassesThemIn() {
        assertThat(Capabilities.gpuExpected(true, null)).isTrue();
        assertThat(Capabilities.gpuExpected(false, "all")).isFalse();
        assertThat(Capabilities.gpuExpected(null, "all")).isTrue();
        assertThat(Capabilities.gpuExpected(null, "0,1")).isTrue();
        assertThat(Capabilities.gpuExpected(null, "void")).isFalse();
        assertThat(Capabilities.gpuExpected(null, "")).isFalse();
        assertThat(Capabilities.gpuExpected(null, null)).isFalse();
    }
}
