package io.fulcrum.mtl.train;

/** A task's loss became NaN or infinite: training stops rather than produce a garbage model. */
public final class TrainingDivergedException extends RuntimeException {

    private final String task;
    private final int epoch;
    private final long step;

    public TrainingDivergedException(String task, float value, int epoch, long step) {
        super("loss of task " + task + " became " + (Float.isNaN(value) ? "NaN" : "infinite") + " at epoch " + epoch
                + " step " + step);
        this.task = task;
        this.epoch = epoch;
        this.step = step;
    }

    public String task() {
        return task;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }
}
