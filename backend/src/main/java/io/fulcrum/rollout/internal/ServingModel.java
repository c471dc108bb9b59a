package io.fulcrum.rollout.internal;

import ai.djl.pytorch.jni.JniUtils;
import io.fulcrum.mtl.Checkpoint;
import io.fulcrum.mtl.MtlModel;
import io.fulcrum.mtl.Predictions;
import io.fulcrum.mtl.data.MtlDataset;
import io.fulcrum.mtl.model.ModelSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.util.FileSystemUtils;

/**
 * One model version loaded for serving: its encoder and up to {@code maxReplicas} copies of the model,
 * made as concurrent requests need them (a forward pass temporarily attaches a copy's parameters to
 * its scope, so a copy serves one request at a time). Reference-counted: once evicted from the cache
 * it closes when the last request using it lets go.
 */
public final class ServingModel {

    private final ServingModels.Key key;
    private final Path root;
    private final Path dir;
    private final ModelSpec spec;
    private final List<String> tasks;
    private final CandidateEncoder encoder;
    private final long parameters;
    private final int maxReplicas;
    private final BlockingQueue<MtlModel> idle;
    private final List<MtlModel> replicas = new ArrayList<>();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean evicted;

    /** The intra-op thread count this thread last gave PyTorch (which keeps one per thread). */
    private static final ThreadLocal<Integer> THREADS_SET = ThreadLocal.withInitial(() -> 0);

    /**
     * Takes over {@code first}, loaded from the model directory {@code root/model}, and {@code root},
     * which it deletes on close.
     */
    ServingModel(ServingModels.Key key, Path root, MtlModel first, CandidateEncoder encoder, int maxReplicas) {
        this.key = key;
        this.root = root;
        this.dir = root.resolve("model");
        this.spec = first.spec();
        this.tasks = spec.taskNames();
        this.encoder = encoder;
        this.parameters = first.parameterCount();
        this.maxReplicas = maxReplicas;
        this.idle = new ArrayBlockingQueue<>(maxReplicas);
        prepare(first);
        replicas.add(first);
        created.set(1);
        idle.add(first);
    }

    /** Loads one copy of the version from its extracted directory, ready to predict. */
    public static MtlModel loadReplica(Path dir) {
        MtlModel model = Checkpoint.load(dir);
        prepare(model);
        return model;
    }

    /**
     * Serving never trains: a frozen copy records no autograd graph on request threads and re-lays out
     * its experts' weights once, not at every request.
     */
    private static void prepare(MtlModel model) {
        model.freeze();
    }

    public ServingModels.Key key() {
        return key;
    }

    public ModelSpec spec() {
        return spec;
    }

    public List<String> tasks() {
        return tasks;
    }

    public CandidateEncoder encoder() {
        return encoder;
    }

    /** Bytes the cache charges for this version: every copy's float parameters, and the vocabularies. */
    public long weightBytes() {
        return parameters * 4L * maxReplicas + encoder.vocabularyEntries() * 64L;
    }

    /**
     * One forward pass over all rows on a free copy; waits up to {@code wait} for one. {@code
     * torchThreads} (0: the engine's default) is set once per calling thread.
     */
    public Predictions predict(MtlDataset encoded, Duration wait, int torchThreads) {
        if (torchThreads > 0 && THREADS_SET.get() != torchThreads) {
            JniUtils.setNumThreads(torchThreads);
            THREADS_SET.set(torchThreads);
        }
        MtlModel replica = borrow(wait);
        try {
            return replica.predictEncoded(encoded, Math.max(encoded.size(), 1));
        } finally {
            idle.add(replica);
        }
    }

    private MtlModel borrow(Duration wait) {
        MtlModel replica = idle.poll();
        if (replica != null) {
            return replica;
        }
        if (created.incrementAndGet() <= maxReplicas) {
            try {
                MtlModel fresh = loadReplica(dir);
                synchronized (replicas) {
                    replicas.add(fresh);
                }
                return fresh;
            } catch (RuntimeException e) {
                created.decrementAndGet();
                throw e;
            }
        }
        created.decrementAndGet();
        try {
            replica = idle.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a copy of " + key, e);
        }
        if (replica == null) {
            throw new IllegalStateException("no copy of " + key + " became free within " + wait);
        }
        return replica;
    }

    /** Counts a request in; false when the version is already evicted (the caller loads it again). */
    public boolean tryAcquire() {
        users.incrementAndGet();
        if (evicted) {
            release();
            return false;
        }
        return true;
    }

    public void release() {
        if (users.decrementAndGet() == 0 && evicted) {
            close();
        }
    }

    /** Out of the cache: closes now if no request holds it, else when the last one releases it. */
    public void evict() {
        evicted = true;
        if (users.get() == 0) {
            close();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    public int replicaCount() {
        return created.get();
    }

    /** Every copy made so far (tests check that eviction closes them). */
    public List<MtlModel> replicas() {
        synchronized (replicas) {
            return List.copyOf(replicas);
        }
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (replicas) {
            for (MtlModel m : replicas) {
                m.close();
            }
        }
        FileSystemUtils.deleteRecursively(root.toFile());
    }
}
