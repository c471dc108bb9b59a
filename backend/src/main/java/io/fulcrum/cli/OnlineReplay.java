package io.fulcrum.cli;

import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.Predictions;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.rollout.Ranking;
import io.fulcrum.rollout.ScoringSpec;
import io.fulcrum.simulator.ActionProbabilities;
import io.fulcrum.simulator.Context;
import io.fulcrum.simulator.SimulationRandom;
import io.fulcrum.simulator.VideoWorld;
import java.util.Arrays;
import java.util.List;

/**
 * What a trained model would win online, in expectation. The model ranks the candidates of simulated
 * sessions of the world its data came from, with the ranking endpoint's weighted multiplication, and the
 * world's ground truth values the list it returns for a user who looks down it the way {@code simulate-ab}'s
 * users do (going on after each item with probability {@code patience}). A session's expected plays and
 * watch seconds are sums over ranks of P(looked at) × P(play), resp. × E[watch seconds]: no reaction is
 * drawn, so they carry no sampling noise, and every model ranks the same sessions, so the difference
 * between two models is measured on paired sessions.
 */
final class OnlineReplay {

    /** How many sessions, what a session offers and how its user behaves, and how lists are scored. */
    record Settings(int sessions, int candidates, int limit, double patience, ScoringSpec scoring, long seed) {

        Settings {
            if (sessions < 1 || candidates < 1 || limit < 1) {
                throw new IllegalArgumentException("online replay needs at least one session, candidate and slot");
            }
            if (!(patience >= 0 && patience <= 1)) {
                throw new IllegalArgumentException("--online-patience must be in [0, 1], was " + patience);
            }
        }

        Settings withSeed(long value) {
            return new Settings(sessions, candidates, limit, patience, scoring, value);
        }
    }

    /**
     * Per session, the expected plays (what the A/B results count as views), valid views (plays that
     * reach the valid-view threshold) and watch seconds.
     */
    record Outcome(double[] views, double[] validViews, double[] watchSeconds) {

        double meanViews() {
            return Arrays.stream(views).average().orElse(Double.NaN);
        }

        double meanValidViews() {
            return Arrays.stream(validViews).average().orElse(Double.NaN);
        }

        double meanWatchSeconds() {
            return Arrays.stream(watchSeconds).average().orElse(Double.NaN);
        }
    }

    /** Sessions scored per prediction call, to keep the model's input arrays small. */
    private static final int SESSIONS_PER_CALL = 500;

    private final VideoWorld world;
    private final Settings settings;
    private final int perSession;
    private final float[] dense;
    private final int[] categorical;
    private final double[] lengths;
    private final double[] play;
    private final double[] validView;
    private final double[] watchSeconds;

    private OnlineReplay(VideoWorld world, Settings settings) {
        this.world = world;
        this.settings = settings;
        this.perSession = Math.min(settings.candidates(), world.videos());
        int rows = settings.sessions() * perSession;
        int nd = world.columns().denseCount();
        int nc = world.columns().categoricalCount();
        this.dense = new float[rows * nd];
        this.categorical = new int[rows * nc];
        this.lengths = new double[rows];
        this.play = new double[rows];
        this.validView = new double[rows];
        this.watchSeconds = new double[rows];
    }

    /**
     * Draws the sessions: a user by activity, a context from the world's traffic mix and distinct
     * candidates by popularity, as {@code simulate-ab} does, with the ground truth of every candidate.
     */
    static OnlineReplay draw(VideoWorld world, Settings settings) {
        OnlineReplay replay = new OnlineReplay(world, settings);
        SimulationRandom random = new SimulationRandom(settings.seed(), 0x0417);
        int nd = world.columns().denseCount();
        int nc = world.columns().categoricalCount();
        float[] d = new float[nd];
        int[] c = new int[nc];
        int row = 0;
        for (int s = 0; s < settings.sessions(); s++) {
            int user = world.sampleUser(random);
            Context context = world.sampleContext(random);
            for (int video : AbSimulation.candidates(world, random, settings.candidates())) {
                world.writeFeatures(user, context, video, d, c);
                System.arraycopy(d, 0, replay.dense, row * nd, nd);
                System.arraycopy(c, 0, replay.categorical, row * nc, nc);
                ActionProbabilities truth = world.groundTruth(user, context, video);
                replay.lengths[row] = world.lengthSeconds(video);
                replay.play[row] = truth.play();
                replay.validView[row] = truth.validView();
                replay.watchSeconds[row] = truth.expectedWatchSeconds();
                row++;
            }
        }
        return replay;
    }

    /** The expected outcome of every session when {@code model} ranks its candidates. */
    Outcome rank(MtlModel model) {
        ModelSpec spec = model.spec();
        int[] denseColumns = spec.inputs().dense().stream()
                .mapToInt(name -> world.columns().named(name).index())
                .toArray();
        int[] categoricalColumns = spec.inputs().categorical().stream()
                .mapToInt(feature -> world.columns().named(feature.name()).index())
                .toArray();
        List<String> tasks = spec.taskNames();
        int nd = world.columns().denseCount();
        int nc = world.columns().categoricalCount();
        double[] scores = new double[play.length];
        for (int first = 0; first < settings.sessions(); first += SESSIONS_PER_CALL) {
            int sessions = Math.min(SESSIONS_PER_CALL, settings.sessions() - first);
            int from = first * perSession;
            int rows = sessions * perSession;
            float[] x = new float[rows * denseColumns.length];
            long[] ids = new long[rows * categoricalColumns.length];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < denseColumns.length; i++) {
                    x[r * denseColumns.length + i] = dense[(from + r) * nd + denseColumns[i]];
                }
                for (int i = 0; i < categoricalColumns.length; i++) {
                    ids[r * categoricalColumns.length + i] = categorical[(from + r) * nc + categoricalColumns[i]];
                }
            }
            Predictions predictions = model.predict(rows, x, ids);
            double[] chunk = settings.scoring()
                    .score(tasks, predictions.values(), Arrays.copyOfRange(lengths, from, from + rows), rows);
            System.arraycopy(chunk, 0, scores, from, rows);
        }
        return rankBy(scores);
    }

    /**
     * The expected outcome when each session's candidates are listed by {@code scores} (one per candidate,
     * sessions one after the other), best first; {@code scores} is only read.
     */
    Outcome rankBy(double[] scores) {
        double[] views = new double[settings.sessions()];
        double[] validViews = new double[settings.sessions()];
        double[] watch = new double[settings.sessions()];
        for (int s = 0; s < settings.sessions(); s++) {
            int base = s * perSession;
            int[] order = Ranking.bestFirst(scores, base, perSession, settings.limit());
            views[s] = cascade(order, play, base, settings.patience());
            validViews[s] = cascade(order, validView, base, settings.patience());
            watch[s] = cascade(order, watchSeconds, base, settings.patience());
        }
        return new Outcome(views, validViews, watch);
    }

    /** A uniformly random order of each session's candidates: what ranking adds is measured against it. */
    Outcome randomOrder() {
        SimulationRandom random = new SimulationRandom(settings.seed(), 0x0418);
        double[] scores = new double[play.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextDouble();
        }
        return rankBy(scores);
    }

    /**
     * The order by the true chance of a play: no list of the same candidates gets more expected views
     * (the expected views are a sum of play chances with weights that fall with the rank).
     */
    Outcome playOrder() {
        return rankBy(play);
    }

    /**
     * Σ over ranks r (from 0) of patience^r · value[base + order[r]]: the expected sum of a per-item
     * value for a user who looks at the first item and at each next one with probability {@code patience}.
     */
    static double cascade(int[] order, double[] value, int base, double patience) {
        double expected = 0;
        double looked = 1;
        for (int offset : order) {
            expected += looked * value[base + offset];
            looked *= patience;
        }
        return expected;
    }
}
