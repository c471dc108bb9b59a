package io.fulcrum.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.system.Json;
import org.junit.jupiter.api.Test;

class TrainingSettingsTests {

    @Test
    void withoutSampleWeightsTheJsonAndSoTheConfigHashAreAsBeforeTheSettingExisted() {
        String json = Json.MAPPER.writeValueAsString(TrainingSettings.DEFAULTS);

        assertThat(json)
                .isEqualTo("{\"epochs\":5,\"batchSize\":1024,\"learningRate\":0.001,\"weightDecay\":0.0,"
                        + "\"optimizer\":\"adam\",\"seed\":1,\"patience\":2,\"monitor\":\"loss\",\"clipNorm\":0.0,"
                        + "\"maxEmbeddingDim\":16}");
        assertThat(Json.MAPPER.writeValueAsString(TrainingSettings.DEFAULTS.withSampleWeights(false)))
                .endsWith(",\"maxEmbeddingDim\":16,\"useSampleWeights\":false}");
        assertThat(Json.MAPPER.readValue(json, TrainingSettings.class).sampleWeighted())
                .as("a run stored before the setting existed trains unweighted, as it did")
                .isFalse();
    }
}
