package io.fulcrum.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fulcrum.mtl.Json;
import io.fulcrum.mtl.model.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessingStateTests {

    private final ModelSpec.Inputs inputs =
            new ModelSpec.Inputs(List.of("age"), List.of(new ModelSpec.CategoricalFeature("city", 2, 4)));

    private MtlDataset raw(float[] age, long[] city) {
        return new MtlDataset(age.length, 1, age, 1, city, 1, new float[age.length], null);
    }

    @Test
    void standardisesDenseAndMapsTheMostFrequentValuesWithAnOutOfVocabularyRow() {
        MtlDataset train = raw(new float[] {1, 2, 3, 6}, new long[] {7, 9, 7, 5});
        PreprocessingState state = PreprocessingState.fit(inputs, train);
        assertThat(state.means()[0]).isEqualTo(3.0);
        MtlDataset encoded = state.transform(raw(new float[] {3, 3 + (float) state.stds()[0]}, new long[] {7, 42}));
        assertThat(encoded.dense()[0]).isEqualTo(0f);
        assertThat(encoded.dense()[1]).isCloseTo(1f, offset(1e-6f));
        // 7 is the most frequent value → row 1; 42 was never seen → row 0
        assertThat(encoded.categorical()).containsExactly(1L, 0L);
        PreprocessingState back =
                Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(state), PreprocessingState.class);
        assertThat(back.transform(raw(new float[] {3}, new long[] {5})).categorical())
                .containsExactly(2L);
    }
}
