package io.fulcrum.simulator;

import java.util.Locale;

/**
 * Prints the label rates and correlations of a world and the generation speed: the numbers in
 * {@code docs/simulator.md}. Run with {@code java -cp backend/target/classes
 * io.fulcrum.simulator.SimulatorReport [impressions] [seed]}.
 */
public final class SimulatorReport {

    private SimulatorReport() {}

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        long buildStart = System.nanoTime();
        VideoWorld world = VideoWorld.build(VideoWorldSpec.defaults(), seed);
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;

        LabelStatistics statistics = new LabelStatistics();
        TruthCorrelations truths = new TruthCorrelations();
        ImpressionGenerator generator = world.impressions(seed);
        Impression impression = new Impression();
        for (int i = 0; i < count; i++) {
            statistics.add(generator.next(impression));
            if (i < count / 10) {
                truths.add(world, impression);
            }
        }
        System.out.printf(Locale.ROOT, "world built in %.2f s%n", buildSeconds);
        System.out.println("| | AUTOPLAY | EXPLICIT_CLICK | all |");
        System.out.println("| --- | --- | --- | --- |");
        row("share of impressions", slot -> (double) statistics.impressions(slot) / count);
        row("CTR (click)", statistics::clickRate);
        row("play rate", statistics::playRate);
        row("VTR (valid view) over impressions", statistics::validViewRate);
        row("valid view over plays", statistics::validViewRateOfPlays);
        row("VCR mean over plays", statistics::meanCompletionOfPlays);
        row("watch seconds mean over plays", statistics::meanWatchSecondsOfPlays);
        row("SHR over clicks", statistics::shareRateOfClicks);
        row("CMR over clicks", statistics::commentRateOfClicks);
        row("corr(valid view, VCR) over plays", statistics::validViewCompletionCorrelation);
        row("corr(P(valid view), E[VCR]) (truth)", slot -> truths.correlation(slot, 0, 1));
        row("corr(P(valid view), log length) (truth)", slot -> truths.correlation(slot, 0, 2));
        row("corr(E[VCR], log length) (truth)", slot -> truths.correlation(slot, 1, 2));
        row("corr(P(valid view | play), log length) (truth)", slot -> truths.correlation(slot, 4, 2));
        row("corr(P(valid view | play), E[VCR]) (truth)", slot -> truths.correlation(slot, 4, 1));
        row("corr(P(valid view), affinity) (truth)", slot -> truths.correlation(slot, 0, 3));
        row("corr(E[VCR], affinity) (truth)", slot -> truths.correlation(slot, 1, 3));

        ImpressionBatch batch = new ImpressionBatch(world.columns(), 4096);
        int rounds = 5;
        double best = 0;
        for (int round = 0; round < rounds; round++) {
            ImpressionGenerator timed = world.impressions(seed + round);
            long start = System.nanoTime();
            int rows = 0;
            while (rows < count) {
                rows += timed.fill(batch).size();
            }
            best = Math.max(best, rows / ((System.nanoTime() - start) / 1e9));
        }
        System.out.printf(
                Locale.ROOT,
                "generation into batches of %d rows (%d dense, %d categorical, %d labels): %.2f M impressions/s%n",
                batch.capacity(),
                batch.denseWidth(),
                batch.categoricalWidth(),
                batch.labelWidth(),
                best / 1e6);
    }

    /** Correlations between the ground-truth VTR and VCR targets and their drivers, per scenario. */
    private static final class TruthCorrelations {
        private static final int VARIABLES = 5;
        private final double[][] sums = new double[3][VARIABLES];
        private final double[][][] products = new double[3][VARIABLES][VARIABLES];
        private final long[] counts = new long[3];

        void add(VideoWorld world, Impression impression) {
            ActionProbabilities truth = world.groundTruth(impression.user(), impression.context(), impression.video());
            double[] values = {
                truth.validView(),
                truth.expectedCompletionGivenPlay(),
                Math.log(impression.lengthSeconds()),
                world.affinity(impression.user(), impression.video()),
                truth.validViewGivenPlay()
            };
            for (int slot : new int[] {impression.scenario().ordinal(), LabelStatistics.ALL}) {
                counts[slot]++;
                for (int a = 0; a < VARIABLES; a++) {
                    sums[slot][a] += values[a];
                    for (int b = 0; b < VARIABLES; b++) {
                        products[slot][a][b] += values[a] * values[b];
                    }
                }
            }
        }

        double correlation(int slot, int a, int b) {
            double n = counts[slot];
            double covariance = products[slot][a][b] / n - sums[slot][a] / n * sums[slot][b] / n;
            double varianceA = products[slot][a][a] / n - Math.pow(sums[slot][a] / n, 2);
            double varianceB = products[slot][b][b] / n - Math.pow(sums[slot][b] / n, 2);
            return covariance / Math.sqrt(varianceA * varianceB);
        }
    }

    private interface Measure {
        double of(int slot);
    }

    private static void row(String name, Measure measure) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %.4f | %.4f | %.4f |%n",
                name,
                measure.of(0),
                measure.of(1),
                measure.of(LabelStatistics.ALL));
    }
}
