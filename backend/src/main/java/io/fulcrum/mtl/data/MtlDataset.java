package io.fulcrum.mtl.data;

import java.util.Arrays;

/**
 * Samples held row-major in primitive arrays: dense features, categorical values (raw or, after
 * preprocessing, embedding indices), one label per task, the sample-space mask δ (1 = the sample
 * belongs to the task's space) and optionally one weight per sample for the training loss (absent:
 * every sample weighs 1). Labels outside a task's space are stored as 0 so they can never turn a loss
 * into NaN (the given labels array is cleaned in place rather than copied, for large data).
 */
public final class MtlDataset {

    private final int size;
    private final int denseWidth;
    private final float[] dense;
    private final int categoricalWidth;
    private final long[] categorical;
    private final int tasks;
    private final float[] labels;
    private final float[] mask;
    private final float[] weights;

    public MtlDataset(
            int size,
            int denseWidth,
            float[] dense,
            int categoricalWidth,
            long[] categorical,
            int tasks,
            float[] labels,
            float[] mask) {
        this(size, denseWidth, dense, categoricalWidth, categorical, tasks, labels, mask, null);
    }

    /** @param weights one finite weight ≥ 0 per sample, or null for none (every sample weighs 1) */
    public MtlDataset(
            int size,
            int denseWidth,
            float[] dense,
            int categoricalWidth,
            long[] categorical,
            int tasks,
            float[] labels,
            float[] mask,
            float[] weights) {
        this.size = size;
        this.denseWidth = denseWidth;
        this.dense = dense == null ? new float[0] : dense;
        this.categoricalWidth = categoricalWidth;
        this.categorical = categorical == null ? new long[0] : categorical;
        this.tasks = tasks;
        this.labels = labels;
        this.mask = mask == null ? filled(size * tasks) : mask;
        this.weights = weights;
        check(this.dense.length == (long) size * denseWidth, "dense: expected " + (long) size * denseWidth);
        check(
                this.categorical.length == (long) size * categoricalWidth,
                "categorical: expected " + (long) size * categoricalWidth);
        check(labels.length == (long) size * tasks, "labels: expected " + (long) size * tasks);
        check(this.mask.length == labels.length, "mask: expected " + labels.length);
        for (int i = 0; i < labels.length; i++) {
            if (this.mask[i] == 0f || !Float.isFinite(labels[i])) {
                check(this.mask[i] == 0f, "labels: non-finite label at row " + i / tasks + " inside the sample space");
                labels[i] = 0f;
            }
        }
        if (weights != null) {
            check(weights.length == size, "weights: expected " + size);
            for (int i = 0; i < size; i++) {
                check(
                        weights[i] >= 0f && Float.isFinite(weights[i]),
                        "weights: " + weights[i] + " at row " + i + " is not a finite weight >= 0");
            }
        }
    }

    private static float[] filled(int n) {
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        return ones;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public int size() {
        return size;
    }

    public int denseWidth() {
        return denseWidth;
    }

    public int categoricalWidth() {
        return categoricalWidth;
    }

    public int tasks() {
        return tasks;
    }

    public float[] dense() {
        return dense;
    }

    public long[] categorical() {
        return categorical;
    }

    public float[] labels() {
        return labels;
    }

    public float[] mask() {
        return mask;
    }

    /** The per-sample weights, or null when every sample weighs 1. */
    public float[] weights() {
        return weights;
    }

    public boolean weighted() {
        return weights != null;
    }

    public float label(int row, int task) {
        return labels[row * tasks + task];
    }

    public boolean inSpace(int row, int task) {
        return mask[row * tasks + task] != 0f;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as their own dataset. */
    public MtlDataset slice(int from, int to) {
        int[] rows = new int[to - from];
        Arrays.setAll(rows, i -> from + i);
        return select(rows);
    }

    public MtlDataset select(int[] rows) {
        int n = rows.length;
        float[] d = new float[n * denseWidth];
        long[] c = new long[n * categoricalWidth];
        float[] y = new float[n * tasks];
        float[] m = new float[n * tasks];
        float[] w = weights == null ? null : new float[n];
        gather(rows, 0, n, d, c, y, m, w);
        return new MtlDataset(n, denseWidth, d, categoricalWidth, c, tasks, y, m, w);
    }

    /** Copies rows[from .. from+count) into batch buffers sized for {@code count} rows. */
    public void gather(
            int[] rows, int from, int count, float[] denseOut, long[] catOut, float[] labelsOut, float[] maskOut) {
        gather(rows, from, count, denseOut, catOut, labelsOut, maskOut, null);
    }

    /** Like the other gather, and the rows' weights into {@code weightsOut} unless it is null or there are none. */
    public void gather(
            int[] rows,
            int from,
            int count,
            float[] denseOut,
            long[] catOut,
            float[] labelsOut,
            float[] maskOut,
            float[] weightsOut) {
        boolean withWeights = weights != null && weightsOut != null;
        for (int i = 0; i < count; i++) {
            int r = rows[from + i];
            System.arraycopy(dense, r * denseWidth, denseOut, i * denseWidth, denseWidth);
            System.arraycopy(categorical, r * categoricalWidth, catOut, i * categoricalWidth, categoricalWidth);
            System.arraycopy(labels, r * tasks, labelsOut, i * tasks, tasks);
            System.arraycopy(mask, r * tasks, maskOut, i * tasks, tasks);
            if (withWeights) {
                weightsOut[i] = weights[r];
            }
        }
    }

    /** The same samples with other features (after preprocessing). */
    public MtlDataset withFeatures(float[] newDense, long[] newCategorical) {
        return new MtlDataset(
                size, denseWidth, newDense, categoricalWidth, newCategorical, tasks, labels, mask, weights);
    }

    /** The same samples, each weighing 1. */
    public MtlDataset withoutWeights() {
        return weights == null
                ? this
                : new MtlDataset(size, denseWidth, dense, categoricalWidth, categorical, tasks, labels, mask, null);
    }
}
