package io.fulcrum.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How much two tasks disagree in a world, measured from its ground truth, never from a model: over
 * impressions drawn as the stream draws them, the Pearson correlation of the two tasks' true logits;
 * within sessions (one user and context, candidates drawn by popularity, as a ranking request sees
 * them), the mean correlation of those logits across a session's candidates, and the share of
 * candidate pairs whose order the two tasks' true probabilities disagree on (ties left out).
 *
 * @param a a task: a label of the impression columns ({@code click}, {@code play}, {@code valid_view},
 *     {@code completion_ratio}, {@code share}, {@code comment}), each scored by its truth in its own
 *     sample space (completion given a play, share and comment given a click)
 * @param impressionCorrelation correlation of the true logits over impressions
 * @param sessionCorrelation mean within-session correlation of the true logits
 * @param discordantPairs share of within-session candidate pairs the two tasks order differently
 *     (each figure null where it is not defined: a task whose truth does not vary)
 */
public record TaskConflict(
        String a,
        String b,
        Double impressionCorrelation,
        Double sessionCorrelation,
        Double discordantPairs,
        int impressions,
        int sessions,
        int candidates) {

    /** The labels whose truth a world reports, in column order. */
    public static final List<String> LABELS =
            List.of("click", "play", "valid_view", "completion_ratio", "share", "comment");

    public static final int IMPRESSIONS = 20_000;
    public static final int SESSIONS = 400;
    public static final int CANDIDATES = 50;

    /** Every pair of {@code labels}, in order, on the default sample sizes. */
    public static List<TaskConflict> measure(VideoWorld world, List<String> labels, long seed) {
        return measure(world, labels, seed, IMPRESSIONS, SESSIONS, CANDIDATES);
    }

    public static List<TaskConflict> measure(
            VideoWorld world, List<String> labels, long seed, int impressions, int sessions, int candidates) {
        List<ToDoubleFunction<ActionProbabilities>> truths =
                labels.stream().map(TaskConflict::truth).toList();
        int k = labels.size();
        SimulationRandom random = new SimulationRandom(seed, 1);
        double[][] overImpressions = new double[k][impressions];
        for (int i = 0; i < impressions; i++) {
            ActionProbabilities truth =
                    world.groundTruth(world.sampleUser(random), world.sampleContext(random), world.sampleVideo(random));
            for (int t = 0; t < k; t++) {
                overImpressions[t][i] = logit(truths.get(t).applyAsDouble(truth));
            }
        }
        double[][] sessionCorrelation = new double[k][k];
        long[][] discordant = new long[k][k];
        long[][] comparable = new long[k][k];
        int[][] counted = new int[k][k];
        double[][] perCandidate = new double[k][candidates];
        for (int s = 0; s < sessions; s++) {
            int user = world.sampleUser(random);
            Context context = world.sampleContext(random);
            for (int c = 0; c < candidates; c++) {
                ActionProbabilities truth = world.groundTruth(user, context, world.sampleVideo(random));
                for (int t = 0; t < k; t++) {
                    perCandidate[t][c] = logit(truths.get(t).applyAsDouble(truth));
                }
            }
            for (int x = 0; x < k; x++) {
                for (int y = x + 1; y < k; y++) {
                    double r = pearson(perCandidate[x], perCandidate[y]);
                    if (!Double.isNaN(r)) {
                        sessionCorrelation[x][y] += r;
                        counted[x][y]++;
                    }
                    for (int i = 0; i < candidates; i++) {
                        for (int j = i + 1; j < candidates; j++) {
                            double dx = Math.signum(perCandidate[x][i] - perCandidate[x][j]);
                            double dy = Math.signum(perCandidate[y][i] - perCandidate[y][j]);
                            if (dx != 0 && dy != 0) {
                                comparable[x][y]++;
                                discordant[x][y] += dx != dy ? 1 : 0;
                            }
                        }
                    }
                }
            }
        }
        List<TaskConflict> pairs = new ArrayList<>();
        for (int x = 0; x < k; x++) {
            for (int y = x + 1; y < k; y++) {
                pairs.add(new TaskConflict(
                        labels.get(x),
                        labels.get(y),
                        defined(pearson(overImpressions[x], overImpressions[y])),
                        counted[x][y] == 0 ? null : sessionCorrelation[x][y] / counted[x][y],
                        comparable[x][y] == 0 ? null : (double) discordant[x][y] / comparable[x][y],
                        impressions,
                        sessions,
                        candidates));
            }
        }
        return pairs;
    }

    private static Double defined(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static ToDoubleFunction<ActionProbabilities> truth(String label) {
        return switch (label) {
            case "click" -> ActionProbabilities::click;
            case "play" -> ActionProbabilities::play;
            case "valid_view" -> ActionProbabilities::validView;
            case "completion_ratio" -> ActionProbabilities::expectedCompletionGivenPlay;
            case "share" -> ActionProbabilities::shareGivenClick;
            case "comment" -> ActionProbabilities::commentGivenClick;
            default ->
                throw new IllegalArgumentException(
                        "task conflict: unknown label '" + label + "' (one of " + String.join(", ", LABELS) + ")");
        };
    }

    /** The logit, with probabilities kept a millionth away from 0 and 1 so that certainties stay finite. */
    static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }

    static double pearson(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
