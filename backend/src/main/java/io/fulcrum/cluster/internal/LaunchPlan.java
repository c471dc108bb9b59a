package io.fulcrum.cluster.internal;

import io.fulcrum.experiment.LiveWorkers;
import io.fulcrum.experiment.ResourceRequest;
import io.fulcrum.experiment.RunQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one look at the queue decides: how many workers to start for each kind of waiting run, and
 * what to tell the runs that get none. Each launched worker takes one run at a time, so a waiting run
 * is covered by an idle live worker that can take it, by a started worker that has not registered
 * yet, or by a new one while fewer than the maximum are alive.
 */
record LaunchPlan(List<Launch> launches, Map<ResourceRequest, String> notes) {

    /** Start {@code workers} workers for runs that need {@code need}. */
    record Launch(ResourceRequest need, int workers) {}

    /** A Job of this launcher that has not finished: its worker's name and the need it was started for. */
    record ActiveJob(String name, String group) {}

    static LaunchPlan of(
            List<RunQueue.Waiting> waiting,
            List<LiveWorkers.Capacity> accepting,
            Set<Long> busyWorkers,
            Collection<ActiveJob> activeJobs,
            int maxWorkers,
            int maxGpusPerWorker) {
        List<LiveWorkers.Capacity> idle = new ArrayList<>(
                accepting.stream().filter(w -> !busyWorkers.contains(w.id())).toList());
        Set<String> registered =
                Set.copyOf(accepting.stream().map(LiveWorkers.Capacity::name).toList());
        Map<String, Integer> starting = new HashMap<>();
        for (ActiveJob job : activeJobs) {
            if (!registered.contains(job.name())) {
                starting.merge(job.group(), 1, Integer::sum);
            }
        }
        int room = Math.max(0, maxWorkers - activeJobs.size());
        List<Launch> launches = new ArrayList<>();
        Map<ResourceRequest, String> notes = new HashMap<>();
        for (RunQueue.Waiting w : waiting) {
            ResourceRequest need = w.need();
            if (need.device().equals("gpu") && need.gpuCount() > maxGpusPerWorker) {
                notes.put(
                        need,
                        RunQueue.LAUNCHER_NOTE + " no node offers " + need.gpuCount()
                                + " GPUs to one worker (fulcrum.launcher.max-gpus-per-worker = " + maxGpusPerWorker
                                + ")");
                continue;
            }
            int uncovered = w.runs();
            for (var it = idle.iterator(); it.hasNext() && uncovered > 0; ) {
                if (it.next().canTake(need)) {
                    it.remove();
                    uncovered--;
                }
            }
            uncovered -= starting.getOrDefault(WorkerJobs.group(need), 0);
            int start = Math.max(0, Math.min(uncovered, room));
            room -= start;
            if (start > 0) {
                launches.add(new Launch(need, start));
            }
            notes.put(
                    need,
                    uncovered > start
                            ? RunQueue.LAUNCHER_NOTE + " " + maxWorkers
                                    + " launched workers are alive, the most fulcrum.launcher.max-workers allows"
                            : null);
        }
        return new LaunchPlan(List.copyOf(launches), notes);
    }
}
