package io.fulcrum.mtl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * What the settings do for speed (fewer page faults, steadier steps) is measured by {@code bench train}
 * and recorded in docs/benchmarks.md: a page-fault count inside a test moved with what else the process
 * and the kernel did, both with and without them.
 */
class NativeHeapTests {

    @Test
    void glibcAcceptsBothSettingsAndTheyStayApplied() {
        assumeTrue(NativeHeap.glibc());
        assertThat(NativeHeap.tune()).isTrue();
        assertThat(NativeHeap.tune()).isTrue();
        NativeHeap.releaseFreeMemory();
    }
}
