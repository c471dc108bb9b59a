package io.fulcrum.dataset.io;

/**
 * Streaming statistics of one column over all imported rows: missing values, and for numeric
 * columns the mean and standard deviation (Welford's update, stable over millions of rows).
 */
final class ColumnStatistics {

    private long count;
    private long missing;
    private double mean;
    private double sumOfSquares;

    void add(float value) {
        if (Float.isNaN(value)) {
            missing++;
            return;
        }
        count++;
        double delta = value - mean;
        mean += delta / count;
        sumOfSquares += delta * (value - mean);
    }

    void addMissing() {
        missing++;
    }

    void addPresent() {
        count++;
    }

    long count() {
        return count;
    }

    long missing() {
        return missing;
    }

    double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population standard deviation. */
    double std() {
        return count == 0 ? Double.NaN : Math.sqrt(sumOfSquares / count);
    }
}
