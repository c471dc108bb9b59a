package io.fulcrum.experiment;

import java.util.List;

/**
 * The worker nodes that are alive and taking work, as the worker module knows them; experiment uses
 * it to say why a queued run waits. Implemented by the worker module, so that the dependency points
 * from workers to experiments only.
 */
public interface LiveWorkers {

    /** A live worker's capacity. */
    record Capacity(long id, String name, int gpuCount, List<String> labels) {

        /** Enough GPUs for a GPU run (any worker takes a CPU run), as the queue's claim decides. */
        public boolean hasDeviceFor(ResourceRequest need) {
            return !need.device().equals("gpu") || gpuCount >= need.gpuCount();
        }

        /** The device and every label the run asks for: whether the queue would hand it the run. */
        public boolean canTake(ResourceRequest need) {
            return hasDeviceFor(need) && labels.containsAll(need.workerLabels());
        }
    }

    /** Workers with a fresh heartbeat that are not draining. */
    List<Capacity> accepting();

    /** How many workers are alive (fresh heartbeat, draining or not) and how many of those train a run now. */
    record Load(int alive, int busy) {}

    Load load();
}
