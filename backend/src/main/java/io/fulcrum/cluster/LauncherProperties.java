package io.fulcrum.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the worker launcher (prefix {@code fulcrum.launcher}); which launcher runs is {@code
 * fulcrum.launcher} itself: {@code none} (the default) or {@code kubernetes}.
 *
 * @param namespace where the Jobs go; the client's own namespace (in a pod: the pod's) when blank
 * @param image the worker image (the Fulcrum jar's image; the CUDA flavour for GPU runs)
 * @param gpuImage the image of Jobs for GPU runs; {@code image} when blank
 * @param secret the Secret whose keys become the worker's environment: FULCRUM_DB_URL, FULCRUM_DB_USER,
 *     FULCRUM_DB_PASSWORD, FULCRUM_WORKER_TOKEN
 * @param maxWorkers the most Jobs of this launcher alive at once
 * @param maxGpusPerWorker the most GPUs one node offers; a run asking for more is told so, not launched for
 * @param interval how often the launcher looks at the queue
 * @param grace how long a run waits before it counts as needing a worker (a live worker claims within a poll)
 * @param cpu the CPU request (and limit) of a worker's container
 * @param memory the memory request (and limit) of a worker's container
 * @param workerIdleExit how long a launched worker waits without work before it exits (its Job completes)
 * @param serviceAccount the workers' service account; the namespace's default when blank
 * @param dataVolumeClaim a ReadWriteMany PersistentVolumeClaim holding the server's data directory,
 *     mounted in every worker at {@code dataDir}: workers read dataset caches at the path the server
 *     recorded; none when blank (then the image must reach the data some other way)
 * @param dataDir where the server's data directory is, in the server and in the workers
 */
@ConfigurationProperties("fulcrum.launcher")
public record LauncherProperties(
        String namespace,
        String image,
        String gpuImage,
        String secret,
        Integer maxWorkers,
        Integer maxGpusPerWorker,
        Duration interval,
        Duration grace,
        String cpu,
        String memory,
        Duration workerIdleExit,
        String serviceAccount,
        String dataVolumeClaim,
        String dataDir) {

    public LauncherProperties {
        namespace = blankToNull(namespace);
        image = blankToNull(image);
        gpuImage = blankToNull(gpuImage);
        secret = secret == null || secret.isBlank() ? "fulcrum-worker" : secret.strip();
        maxWorkers = maxWorkers == null ? 4 : maxWorkers;
        maxGpusPerWorker = maxGpusPerWorker == null ? 8 : maxGpusPerWorker;
        interval = interval == null ? Duration.ofSeconds(10) : interval;
        grace = grace == null ? Duration.ofSeconds(15) : grace;
        cpu = cpu == null || cpu.isBlank() ? "2" : cpu.strip();
        memory = memory == null || memory.isBlank() ? "4Gi" : memory.strip();
        workerIdleExit = workerIdleExit == null ? Duration.ofMinutes(2) : workerIdleExit;
        serviceAccount = blankToNull(serviceAccount);
        dataVolumeClaim = blankToNull(dataVolumeClaim);
        dataDir = dataDir == null || dataDir.isBlank() ? "/var/lib/fulcrum" : dataDir.strip();
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("fulcrum.launcher.max-workers must be at least 1, got " + maxWorkers);
        }
        if (maxGpusPerWorker < 1) {
            throw new IllegalArgumentException(
                    "fulcrum.launcher.max-gpus-per-worker must be at least 1, got " + maxGpusPerWorker);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("fulcrum.launcher.interval must be positive, got " + interval);
        }
    }

    /** The image of a worker for runs on this device. */
    public String imageFor(boolean gpu) {
        return gpu && gpuImage != null ? gpuImage : image;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
