package io.fulcrum.cli;

import io.fulcrum.rollout.AnalysisPlan;
import io.fulcrum.rollout.ComparisonAnalysis;
import io.fulcrum.rollout.Correction;
import io.fulcrum.rollout.LiftEstimate;
import io.fulcrum.rollout.RolloutMetric;
import io.fulcrum.rollout.UserColumns;
import io.fulcrum.rollout.UserMoments;
import io.fulcrum.simulator.Context;
import io.fulcrum.simulator.Impression;
import io.fulcrum.simulator.SimulationRandom;
import io.fulcrum.simulator.VideoWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A/A (and, with a true lift, A/B) tests of video-world users, analysed in-process by the same
 * statistics classes as the results endpoint ({@link ComparisonAnalysis} over {@link UserMoments}),
 * repeated many times to measure how often each analysis calls a difference.
 *
 * <p>Each repeat draws {@code users} users the way the world's traffic does (in proportion to their
 * activity), assigns each to a variant by a fair coin, and lets them live {@code preDays} days before
 * the experiment and {@code days} days in it. A user has Poisson(λ_u) sessions a day, λ_u proportional
 * to their activity with mean {@code sessionsPerDay} over the drawn users; a session shows {@code
 * limit} videos drawn by popularity (every shown video is an exposure, as the ranking endpoint logs
 * them), the user looks down the list leaving after each item with probability 1 − patience, and
 * reacts to what they look at as the world's ground truth draws it. The sums per user are the
 * columns of {@link UserColumns}, pre-exposure window included.
 *
 * <p>Looks: users enter in a random order, and look j of {@code looks} analyses the first j/looks of
 * them with their whole experiment period. Under a true lift X the treatment's in-experiment values
 * (views, watch seconds, clicks, plays, completion sums, shares, comments) are multiplied by 1 + X,
 * so every per-user metric and rate moves by exactly X; exposures and the pre-exposure window do not.
 */
final class AaSimulation {

    /** The metrics reported: both per-user metrics of the paper's online test and two rates. */
    static final List<RolloutMetric> METRICS = List.of(
            RolloutMetric.VIEWS_PER_USER,
            RolloutMetric.WATCH_TIME_PER_USER,
            RolloutMetric.CLICK_RATE,
            RolloutMetric.COMPLETION_RATIO);

    record Settings(
            int repeats,
            int users,
            int looks,
            int days,
            int preDays,
            double sessionsPerDay,
            int limit,
            double patience,
            double trueLift,
            long seed,
            int threads) {}

    /** One way of reading a test: its analysis, whether it is read at every look, and CUPED. */
    record Reading(String name, boolean sequential, boolean peeked, boolean cuped) {}

    static final List<Reading> READINGS = List.of(
            new Reading("fixed, read once", false, false, false),
            new Reading("fixed, read once, CUPED", false, false, true),
            new Reading("fixed, peeked at every look", false, true, false),
            new Reading("fixed, peeked, CUPED", false, true, true),
            new Reading("sequential, peeked at every look", true, true, false),
            new Reading("sequential, peeked, CUPED", true, true, true));

    /** Counts over the repeats, per reading and metric. */
    static final class Tally {
        final long[][] rejections = new long[READINGS.size()][METRICS.size()];
        final long[][] positive = new long[READINGS.size()][METRICS.size()];
        final double[][][] widths;
        /** Repeats in which some metric was called at the final fixed look: uncorrected, then Holm. */
        long anyMetric;

        long anyMetricHolm;

        Tally(int repeats) {
            widths = new double[READINGS.size()][METRICS.size()][repeats];
        }
    }

    private final VideoWorld world;
    private final Settings settings;
    private final double activityScale;

    AaSimulation(VideoWorld world, Settings settings) {
        this.world = world;
        this.settings = settings;
        // users are drawn in proportion to activity w, so the drawn users' mean w is E[w²] / E[w]
        double sum = 0;
        double squares = 0;
        for (int u = 0; u < world.users(); u++) {
            double w = world.activity(u);
            sum += w;
            squares += w * w;
        }
        this.activityScale = settings.sessionsPerDay() / (squares / sum);
    }

    /** What one repeat called, per reading × metric, and the final look's interval widths. */
    record Outcome(boolean[][] rejected, boolean[][] positive, double[][] widths, boolean[] family) {}

    /** Runs every repeat (in parallel, each on its own random stream) and adds them up in repeat order. */
    Tally run() throws Exception {
        Tally tally = new Tally(settings.repeats());
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int r = 0; r < settings.repeats(); r++) {
                int repeat = r;
                futures.add(pool.submit(() -> repeat(repeat)));
            }
            for (int r = 0; r < futures.size(); r++) {
                add(tally, r, futures.get(r).get());
            }
        } finally {
            pool.shutdownNow();
        }
        return tally;
    }

    private static void add(Tally tally, int repeat, Outcome outcome) {
        for (int a = 0; a < READINGS.size(); a++) {
            for (int m = 0; m < METRICS.size(); m++) {
                if (outcome.rejected()[a][m]) {
                    tally.rejections[a][m]++;
                }
                if (outcome.positive()[a][m]) {
                    tally.positive[a][m]++;
                }
                tally.widths[a][m][repeat] = outcome.widths()[a][m];
            }
        }
        tally.anyMetric += outcome.family()[0] ? 1 : 0;
        tally.anyMetricHolm += outcome.family()[1] ? 1 : 0;
    }

    /** One experiment, read at every look in every way. */
    Outcome repeat(int repeat) {
        SimulationRandom random = new SimulationRandom(settings.seed() * 1_000_003L + repeat, 0xAA);
        int k = UserColumns.SIZE;
        UserMoments.Accumulator[] arms = {new UserMoments.Accumulator(k), new UserMoments.Accumulator(k)};
        String window = "P" + settings.preDays() + "D";
        long plannedPerVariant = Math.max(1, settings.users() / 2);
        ComparisonAnalysis[] analyses = new ComparisonAnalysis[READINGS.size()];
        for (int a = 0; a < READINGS.size(); a++) {
            Reading reading = READINGS.get(a);
            analyses[a] = new ComparisonAnalysis(new AnalysisPlan(
                    reading.sequential() ? "sequential" : "fixed",
                    "none",
                    reading.cuped() ? window : "P0D",
                    plannedPerVariant));
        }
        boolean[][] rejected = new boolean[READINGS.size()][METRICS.size()];
        boolean[][] positive = new boolean[READINGS.size()][METRICS.size()];
        double[][] widths = new double[READINGS.size()][METRICS.size()];
        boolean[] family = new boolean[2];
        double[] values = new double[k];
        Impression impression = new Impression();
        int look = 1;
        for (int i = 0; i < settings.users(); i++) {
            int user = world.sampleUser(random);
            int arm = random.nextDouble() < 0.5 ? 0 : 1;
            live(user, random, values, impression);
            if (arm == 1 && settings.trueLift() != 0) {
                for (int c : new int[] {
                    UserColumns.CLICKS,
                    UserColumns.PLAYS,
                    UserColumns.WATCH,
                    UserColumns.COMPLETION_SUM,
                    UserColumns.SHARES,
                    UserColumns.COMMENTS
                }) {
                    values[c] *= 1 + settings.trueLift();
                }
            }
            if (values[UserColumns.EXPOSURES] > 0) {
                arms[arm].add(values);
            }
            boolean last = i == settings.users() - 1;
            if (last || (long) (i + 1) * settings.looks() >= (long) look * settings.users()) {
                read(analyses, arms, last, rejected, positive, widths, family);
                look++;
            }
        }
        return new Outcome(rejected, positive, widths, family);
    }

    private void read(
            ComparisonAnalysis[] analyses,
            UserMoments.Accumulator[] arms,
            boolean last,
            boolean[][] rejected,
            boolean[][] positive,
            double[][] widths,
            boolean[] family) {
        if (arms[0].n() < 2 || arms[1].n() < 2) {
            return;
        }
        UserMoments control = arms[0].moments();
        UserMoments treatment = arms[1].moments();
        double[] finalFixedP = new double[METRICS.size()];
        for (int a = 0; a < READINGS.size(); a++) {
            Reading reading = READINGS.get(a);
            if (!reading.peeked() && !last) {
                continue;
            }
            for (int m = 0; m < METRICS.size(); m++) {
                ComparisonAnalysis.Reading r = analyses[a].read(METRICS.get(m), control, treatment);
                LiftEstimate estimate = r.inForce();
                double low = estimate.low(ComparisonAnalysis.CONFIDENCE);
                double high = estimate.high(ComparisonAnalysis.CONFIDENCE);
                if (low > 0 || high < 0) {
                    rejected[a][m] = true;
                    positive[a][m] |= low > 0;
                }
                if (last) {
                    widths[a][m] = high - low;
                    if (a == 0) {
                        finalFixedP[m] = r.inForcePValue();
                    }
                }
            }
        }
        if (last) {
            for (int m = 0; m < METRICS.size(); m++) {
                family[0] |= rejected[0][m];
            }
            for (double p : Correction.HOLM.adjust(finalFixedP)) {
                family[1] |= p < ComparisonAnalysis.SIGNIFICANCE;
            }
        }
    }

    /** Fills {@code values} with one user's sums: pre-exposure window, experiment, has-pre flag. */
    private void live(int user, SimulationRandom random, double[] values, Impression impression) {
        java.util.Arrays.fill(values, 0);
        double lambda = activityScale * world.activity(user);
        for (int day = 0; day < settings.preDays(); day++) {
            for (int s = poisson(lambda, random); s > 0; s--) {
                session(user, random, values, UserColumns.PRE, impression);
            }
        }
        for (int day = 0; day < settings.days(); day++) {
            for (int s = poisson(lambda, random); s > 0; s--) {
                session(user, random, values, 0, impression);
            }
        }
        values[UserColumns.HAS_PRE] = values[UserColumns.PRE + UserColumns.EXPOSURES] > 0 ? 1 : 0;
    }

    private void session(int user, SimulationRandom random, double[] values, int offset, Impression impression) {
        Context context = world.sampleContext(random);
        values[offset + UserColumns.EXPOSURES] += settings.limit();
        for (int rank = 0; rank < settings.limit(); rank++) {
            if (rank > 0 && random.nextDouble() >= settings.patience()) {
                return;
            }
            world.respond(user, context, world.sampleVideo(random), random, impression);
            if (impression.click()) {
                values[offset + UserColumns.CLICKS]++;
            }
            if (impression.play()) {
                values[offset + UserColumns.PLAYS]++;
                values[offset + UserColumns.WATCH] += impression.watchSeconds();
                values[offset + UserColumns.COMPLETION_SUM] += Math.min(1.0, impression.completionRatio());
                values[offset + UserColumns.COMPLETIONS]++;
            }
            if (impression.share()) {
                values[offset + UserColumns.SHARES]++;
            }
            if (impression.comment()) {
                values[offset + UserColumns.COMMENTS]++;
            }
        }
    }

    /** Knuth's method: λ is a few sessions a day at most. */
    static int poisson(double lambda, SimulationRandom random) {
        double limit = Math.exp(-lambda);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            n++;
            product *= random.nextDouble();
        }
        return n;
    }
}
