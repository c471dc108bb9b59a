package io.fulcrum.mtl.data;

/** Pearson correlation of two tasks' labels over the samples in both tasks' spaces. */
public final class Pearson {

    private Pearson() {}

    public static double ofLabels(MtlDataset data, int taskA, int taskB) {
        double n = 0;
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < data.size(); i++) {
            if (data.inSpace(i, taskA) && data.inSpace(i, taskB)) {
                n++;
                sa += data.label(i, taskA);
                sb += data.label(i, taskB);
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double ma = sa / n;
        double mb = sb / n;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < data.size(); i++) {
            if (data.inSpace(i, taskA) && data.inSpace(i, taskB)) {
                double a = data.label(i, taskA) - ma;
                double b = data.label(i, taskB) - mb;
                cov += a * b;
                va += a * a;
                vb += b * b;
            }
        }
        return cov / Math.sqrt(va * vb);
    }
}
