package io.fulcrum.mtl.metric;

import java.util.Arrays;

/**
 * Exact ROC AUC by ranks (Mann–Whitney U), O(n log n): tied scores share their average rank, so a tie
 * between a positive and a negative counts one half.
 */
public final class Auc {

    private Auc() {}

    /** NaN when the labels hold only one class. */
    public static double of(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1.0; // ranks are 1-based
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
