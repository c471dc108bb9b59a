package io.fulcrum.dataset.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaInferenceTests {

    @Test
    void onlyTheFirstWeightLikeColumnBecomesTheSampleWeight() {
        List<ColumnSchema> schema = SchemaInference.infer(
                List.of("click", "instance_weight", "weight_kg"),
                List.of(List.of("1", "1520.3", "71.5"), List.of("0", "880.1", "64.0")));

        assertThat(schema)
                .extracting(ColumnSchema::role)
                .containsExactly(ColumnRole.LABEL, ColumnRole.WEIGHT, ColumnRole.DENSE);
    }
}
