package io.fulcrum.mtl.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.fulcrum.mtl.model.TaskType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTests {

    @Test
    void aucCountsTiesAsOneHalf() {
        // pairs (pos, neg): (0.8,0.1)=1 (0.8,0.4)=1 (0.8,0.8)=½ (0.4,0.1)=1 (0.4,0.4)=½ (0.4,0.8)=0 → 4/6
        double auc = Auc.of(new double[] {0.8, 0.4, 0.1, 0.4, 0.8}, new boolean[] {true, true, false, false, false});
        assertThat(auc).isCloseTo(4.0 / 6.0, offset(1e-12));
        assertThat(Auc.of(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false}))
                .isEqualTo(0.5);
        assertThat(Auc.of(new double[] {1, 2, 3}, new boolean[] {false, false, true}))
                .isEqualTo(1.0);
        assertThat(Auc.of(new double[] {1, 2}, new boolean[] {true, true})).isNaN();
    }

    @Test
    void aucMatchesThePairwiseDefinitionOnRandomTiedScores() {
        Random r = new Random(3);
        double[] s = new double[300];
        boolean[] y = new boolean[300];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(20) / 20.0;
            y[i] = r.nextDouble() < 0.3 + s[i] * 0.4;
        }
        double pairs = 0;
        double wins = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(Auc.of(s, y)).isCloseTo(wins / pairs, offset(1e-12));
    }

    @Test
    void taskMetricsUseOnlyInSpaceSamples() {
        TaskMetrics reg = TaskMetrics.of(
                "vcr", TaskType.REGRESSION, new double[] {1, 2, 100}, new double[] {0, 4, 0}, new boolean[] {
                    true, true, false
                });
        assertThat(reg.samples()).isEqualTo(2);
        assertThat(reg.mse()).isCloseTo(2.5, offset(1e-12));
        assertThat(reg.mae()).isCloseTo(1.5, offset(1e-12));
        TaskMetrics bin = TaskMetrics.of(
                "ctr", TaskType.BINARY, new double[] {0.9, 0.2, 0.6}, new double[] {1, 0, 1}, new boolean[] {
                    true, true, true
                });
        assertThat(bin.auc()).isEqualTo(1.0);
        assertThat(bin.logLoss()).isCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3, offset(1e-12));
    }

    @Test
    void mtlGainIsPositiveWhenTheMultiTaskModelIsBetter() {
        assertThat(MtlGain.of(0.70, 0.68, true)).isCloseTo(0.02, offset(1e-12));
        assertThat(MtlGain.of(0.66, 0.68, true)).isNegative();
        assertThat(MtlGain.of(0.13, 0.14, false)).isCloseTo(0.01, offset(1e-12));
        assertThat(MtlGain.of(0.15, 0.14, false)).isNegative();
    }

    @Test
    void expertUtilizationGivesMeanAndStdPerExpert() {
        ExpertUtilization u = new ExpertUtilization();
        u.add("level1/task:a", List.of("a#0", "shared#0"), new float[] {0.2f, 0.8f, 0.6f, 0.4f});
        u.add("level1/task:a", List.of("a#0", "shared#0"), new float[] {0.4f, 0.6f});
        ExpertUtilization.GateUtilization g = u.result().get(0);
        assertThat(g.mean()[0]).isCloseTo(0.4, offset(1e-6));
        assertThat(g.mean()[1]).isCloseTo(0.6, offset(1e-6));
        assertThat(g.std()[0]).isCloseTo(Math.sqrt((0.04 + 0.04 + 0) / 3), offset(1e-6));
    }
}
