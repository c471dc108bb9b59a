package io.fulcrum.mtl.data;

import java.util.Arrays;

/**
 * Samples held row-major in primitive arrays: dense features, categorical values (raw or, after
 * preprocessing, embedding indices), one label per task and the sample-space mask δ (1 = the sample
 * belongs to the task's space). Labels outside a task's space are stored as 0 so they can never turn
 * a loss into NaN (the given labels array is cleaned in place rather than copied, for large data).
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

    public MtlDataset(
            int size,
            int denseWidth,
            float[] dense,
            int categoricalWidth,
            long[] categorical,
            int tasks,
            float[] labels,
            float[] mask) {
        this.size = size;
        this.denseWidth = denseWidth;
        this.dense = dense == null ? new float[0] : dense;
        this.categoricalWidth = categoricalWidth;
        this.categorical = categorical == null ? new long[0] : categorical;
        this.tasks = tasks;
        this.labels = labels;
        this.mask = mask == null ? filled(size * tasks) : mask;
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
        gather(rows, 0, n, d, c, y, m);
        return new MtlDataset(n, denseWidth, d, categoricalWidth, c, tasks, y, m);
    }

    /** Copies rows[from .. from+count) into batch buffers sized for {@code count} rows. */
    public void gather(
            int[] rows, int from, int count, float[] denseOut, long[] catOut, float[] labelsOut, float[] maskOut) {
        for (int i = 0; i < count; i++) {
            int r = rows[from + i];
            System.arraycopy(dense, r * denseWidth, denseOut, i * denseWidth, denseWidth);
            System.arraycopy(categorical, r * categoricalWidth, catOut, i * categoricalWidth, categoricalWidth);
            System.arraycopy(labels, r * tasks, labelsOut, i * tasks, tasks);
            System.arraycopy(mask, r * tasks, maskOut, i * tasks, tasks);
        }
    }

    /** The same samples with other features (after preprocessing). */
    public MtlDataset withFeatures(float[] newDense, long[] newCategorical) {
        return new MtlDataset(size, denseWidth, newDense, categoricalWidth, newCategorical, tasks, labels, mask);
    }
}
