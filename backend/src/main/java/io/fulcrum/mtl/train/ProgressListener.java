package io.fulcrum.mtl.train;

/** Receives step and epoch reports on the training thread; keep it cheap. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = p -> {};

    void onProgress(TrainingProgress progress);
}
