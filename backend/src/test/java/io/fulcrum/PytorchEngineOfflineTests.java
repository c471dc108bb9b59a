package io.fulcrum;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PyTorch natives come from the Maven artifact on the classpath; nothing is downloaded. */
class PytorchEngineOfflineTests {

    @BeforeAll
    static void forbidDownloads() {
        // DJL fails instead of fetching natives from the internet when offline is set.
        System.setProperty("ai.djl.offline", "true");
    }

    @Test
    void loadsThePytorchEngineFromTheClasspath() {
        Engine engine = Engine.getEngine("PyTorch");

        assertThat(engine.getEngineName()).isEqualTo("PyTorch");
        assertThat(engine.getVersion()).isEqualTo("2.5.1");
    }

    @Test
    void computesAMatrixProduct() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));

            float[] product = a.matMul(b).toFloatArray();

            assertThat(product).containsExactly(19f, 22f, 43f, 50f);
        }
    }
}
