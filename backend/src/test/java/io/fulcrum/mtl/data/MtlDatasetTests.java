package io.fulcrum.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MtlDatasetTests {

    private static MtlDataset weighted(float... weights) {
        int n = weights.length;
        float[] dense = new float[n];
        for (int i = 0; i < n; i++) {
            dense[i] = i;
        }
        return new MtlDataset(n, 1, dense, 0, null, 1, new float[n], null, weights);
    }

    @Test
    void selectionsBatchesAndNewFeaturesKeepEachRowsWeight() {
        MtlDataset data = weighted(0.5f, 0f, 2f, 1f);

        assertThat(data.select(new int[] {3, 0}).weights()).containsExactly(1f, 0.5f);
        assertThat(data.slice(1, 3).weights()).containsExactly(0f, 2f);
        assertThat(data.withFeatures(new float[] {9, 9, 9, 9}, null).weights()).containsExactly(0.5f, 0f, 2f, 1f);
        float[] batch = new float[2];
        data.gather(new int[] {2, 1, 0}, 1, 2, new float[2], new long[0], new float[2], new float[2], batch);
        assertThat(batch).containsExactly(0f, 0.5f);
        assertThat(data.withoutWeights().weighted()).isFalse();
        assertThat(data.withoutWeights().dense()).isSameAs(data.dense());
    }

    @Test
    void refusesANegativeOrNonFiniteWeight() {
        assertThatThrownBy(() -> weighted(1f, -0.5f)).hasMessage("weights: -0.5 at row 1 is not a finite weight >= 0");
        assertThatThrownBy(() -> weighted(Float.NaN)).hasMessage("weights: NaN at row 0 is not a finite weight >= 0");
        assertThatThrownBy(() -> weighted(Float.POSITIVE_INFINITY))
                .hasMessage("weights: Infinity at row 0 is not a finite weight >= 0");
    }
}
