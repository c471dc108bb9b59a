package io.fulcrum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RandomnessTests {

    @Test
    void aSeedAndPurposeFixTheStream() {
        SimulationRandom a = new SimulationRandom(42, 3);
        SimulationRandom b = new SimulationRandom(42, 3);
        SimulationRandom otherPurpose = new SimulationRandom(42, 4);
        long[] first = new long[100];
        boolean differs = false;
        for (int i = 0; i < first.length; i++) {
            first[i] = a.nextLong();
            assertThat(b.nextLong()).isEqualTo(first[i]);
            differs |= otherPurpose.nextLong() != first[i];
        }
        assertThat(differs).isTrue();
    }

    @Test
    void drawsHaveTheirDistributions() {
        SimulationRandom random = new SimulationRandom(7);
        int n = 200_000;
        double sum = 0;
        double gaussianSum = 0;
        double gaussianSquares = 0;
        int[] buckets = new int[10];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
            sum += u;
            buckets[random.nextInt(10)]++;
            double g = random.nextGaussian();
            gaussianSum += g;
            gaussianSquares += g * g;
        }
        assertThat(sum / n).isCloseTo(0.5, within(SimulatorFixtures.fiveSigma(1.0 / 12, n)));
        assertThat(gaussianSum / n).isCloseTo(0, within(SimulatorFixtures.fiveSigma(1, n)));
        assertThat(gaussianSquares / n).isCloseTo(1, within(SimulatorFixtures.fiveSigma(2, n)));
        for (int count : buckets) {
            assertThat((double) count / n).isCloseTo(0.1, within(SimulatorFixtures.fiveSigma(0.09, n)));
        }
    }

    @Test
    void theAliasSamplerDrawsInProportionToTheWeights() {
        double[] weights = {5, 0, 1, 3, 0.5, 0.5};
        AliasSampler sampler = new AliasSampler(weights);
        SimulationRandom random = new SimulationRandom(11);
        int n = 300_000;
        int[] counts = new int[weights.length];
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(random)]++;
        }
        assertThat(counts[1]).isZero();
        for (int i = 0; i < weights.length; i++) {
            double p = weights[i] / 10;
            assertThat((double) counts[i] / n).isCloseTo(p, within(SimulatorFixtures.fiveSigma(p * (1 - p), n)));
        }
    }
}
