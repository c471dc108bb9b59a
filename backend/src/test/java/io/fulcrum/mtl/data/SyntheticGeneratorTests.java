package io.fulcrum.mtl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Iterator;
import org.junit.jupiter.api.Test;

class SyntheticGeneratorTests {

    @Test
    void labelCorrelationFollowsTheSetting() {
        double low = new SyntheticGenerator(SyntheticGenerator.Settings.paper(0.1, 32, 1))
                .generate(0, 4000)
                .labelCorrelation();
        double high = new SyntheticGenerator(SyntheticGenerator.Settings.paper(0.9, 32, 1))
                .generate(0, 4000)
                .labelCorrelation();
        double same = new SyntheticGenerator(SyntheticGenerator.Settings.paper(1.0, 32, 1))
                .generate(0, 4000)
                .labelCorrelation();
        assertThat(high).isGreaterThan(low + 0.3);
        assertThat(same).isGreaterThan(0.98); // only the noise differs
    }

    @Test
    void batchesEqualTheRowsGeneratedAtOnce() {
        SyntheticGenerator g = new SyntheticGenerator(SyntheticGenerator.Settings.paper(0.5, 16, 7));
        MtlDataset all = g.generate(100, 10).data();
        Iterator<MtlDataset> batches = g.batches(100, 10, 4);
        int row = 0;
        while (batches.hasNext()) {
            MtlDataset b = batches.next();
            for (int i = 0; i < b.size(); i++, row++) {
                assertThat(b.label(i, 0)).isEqualTo(all.label(row, 0));
                assertThat(b.label(i, 1)).isEqualTo(all.label(row, 1));
            }
        }
        assertThat(row).isEqualTo(10);
    }

    @Test
    void featuresAreStandardNormal() {
        MtlDataset d = new SyntheticGenerator(SyntheticGenerator.Settings.paper(0.5, 8, 3))
                .generate(0, 5000)
                .data();
        double sum = 0;
        double squares = 0;
        for (float v : d.dense()) {
            sum += v;
            squares += v * v;
        }
        int n = d.dense().length;
        assertThat(sum / n).isCloseTo(0, offset(0.02));
        assertThat(squares / n).isCloseTo(1, offset(0.03));
    }
}
