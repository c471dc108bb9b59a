package io.fulcrum.worker;

import ai.djl.Device;
import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.dataset.DatasetManagement;
import io.fulcrum.experiment.MetricStore;
import io.fulcrum.experiment.RunQueue;
import io.fulcrum.security.ApiTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * This process's worker: registers, heartbeats, and runs one claim-and-train loop per slot. On
 * shutdown (SIGTERM) it stops every run before its next step and gives it back to the queue, to
 * resume from its last epoch checkpoint on whichever worker takes it. A worker process (not the
 * server's embedded worker) must hold an active WORKER token: it does not start without one, and
 * drains itself when the token is revoked or expires.
 */
@Component
@Conditional(WorkerEnabled.class)
class WorkerNode implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerNode.class);
    private static final Duration FAST_TICK = Duration.ofMillis(500);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private final WorkerProperties properties;
    private final WorkerRegistry registry;
    private final RunQueue queue;
    private final MetricStore metrics;
    private final DatasetManagement datasets;
    private final ArtifactStore artifacts;
    private final Path dataDir;
    private final DataSource dataSource;
    /** Null for the server's embedded worker, which runs inside the process that guards the API. */
    private final WorkerTokenCheck token;

    private final boolean process;

    private final Object wake = new Object();
    private QueueNotifications notifications;
    private final Map<Long, RunExecution> active = new ConcurrentHashMap<>();
    private final List<Thread> slots = new ArrayList<>();
    private ScheduledExecutorService ticks;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile boolean draining;
    private volatile boolean tokenRejected;
    private volatile boolean exiting;
    /** Null unless this is a worker process with fulcrum.worker.idle-exit set. */
    private IdleClock idleClock;

    private final ApplicationContext context;
    private volatile long workerId;
    private String name;

    WorkerNode(
            WorkerProperties properties,
            WorkerRegistry registry,
            RunQueue queue,
            MetricStore metrics,
            DatasetManagement datasets,
            ArtifactStore artifacts,
            DataSource dataSource,
            ApiTokens tokens,
            @Value("${fulcrum.data-dir}") Path dataDir,
            @Value("${fulcrum.role:server}") String role,
            ApplicationContext context) {
        this.context = context;
        this.dataSource = dataSource;
        this.properties = properties;
        this.registry = registry;
        this.queue = queue;
        this.metrics = metrics;
        this.datasets = datasets;
        this.artifacts = artifacts;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        boolean process = "worker".equalsIgnoreCase(role.strip());
        this.token = process ? new WorkerTokenCheck(tokens, properties.token()) : null;
        if (properties.idleExit() != null && !process) {
            log.warn("fulcrum.worker.idle-exit is ignored by the server's embedded worker");
        }
        this.process = process;
    }

    @Override
    public void start() {
        // the test framework stops idle cached contexts and starts them again: begin from a clean slate
        stopping = false;
        exiting = false;
        idleClock = process && properties.idleExit() != null
                ? new IdleClock(properties.idleExit(), System::nanoTime)
                : null;
        draining = false;
        tokenRejected = false;
        slots.clear();
        if (token != null) {
            String problem = Backoff.retry("check the worker token", token::problem, () -> stopping);
            if (problem != null) {
                throw new IllegalStateException("This worker cannot start: " + problem);
            }
        }
        Capabilities caps = Capabilities.detect(
                Capabilities.gpuExpected(properties.expectGpu(), System.getenv("NVIDIA_VISIBLE_DEVICES")));
        int concurrency = properties.concurrency() > 0 ? properties.concurrency() : Math.max(1, caps.gpuCount());
        name = properties.name() == null || properties.name().isBlank() ? caps.host() : properties.name();
        String version = Optional.ofNullable(WorkerNode.class.getPackage().getImplementationVersion())
                .orElse("dev");
        workerId = Backoff.retry(
                "register worker",
                () -> registry.register(name, caps, properties.labels(), concurrency, version),
                () -> stopping);
        RunQueue.WorkerSlot slot = new RunQueue.WorkerSlot(workerId, caps.gpuCount(), properties.labels());
        log.info(
                "Worker {} ('{}') started: {} slot(s), {} CPU cores, {} GPU(s) {}, {}, labels {}",
                workerId,
                name,
                concurrency,
                caps.cpuCores(),
                caps.gpuCount(),
                caps.gpuNames(),
                caps.engine(),
                properties.labels());
        if (caps.warning() != null) {
            log.warn("Worker {} ('{}'): {}", workerId, name, caps.warning());
        }
        ticks = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "worker-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long beat = properties.heartbeat().toMillis();
        ticks.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        ticks.scheduleWithFixedDelay(this::fastTick, FAST_TICK.toMillis(), FAST_TICK.toMillis(), TimeUnit.MILLISECONDS);
        notifications = new QueueNotifications(dataSource, this::wakeSlots, this::cancelRequested);
        Thread listener = new Thread(notifications, "worker-notifications");
        listener.setDaemon(true);
        listener.start();
        for (int i = 0; i < concurrency; i++) {
            // slot i trains its GPU runs on GPU i (modulo the GPUs): one run per GPU with the default concurrency
            Device gpu = caps.gpuCount() > 0 ? Device.gpu(i % caps.gpuCount()) : null;
            Thread t = new Thread(() -> loop(slot, gpu), "worker-slot-" + i);
            slots.add(t);
            t.start();
        }
        running = true;
    }

    private void loop(RunQueue.WorkerSlot slot, Device gpu) {
        long delay = properties.poll().toMillis();
        while (!stopping) {
            try {
                if (draining || tokenRejected) {
                    pause(properties.poll().toMillis());
                    continue;
                }
                Optional<RunQueue.Lease> lease;
                try {
                    lease = queue.claim(slot, properties.lease());
                    delay = properties.poll().toMillis();
                } catch (RuntimeException e) {
                    log.warn(
                            "Worker {} cannot reach the queue ({}); retrying in {} ms",
                            workerId,
                            Backoff.rootMessage(e),
                            delay);
                    pause(delay);
                    delay = Math.min(delay * 2, 30_000);
                    continue;
                }
                if (lease.isEmpty()) {
                    idle(properties.poll().toMillis());
                    continue;
                }
                execute(lease.get(), gpu);
            } catch (Throwable t) {
                // a slot must outlive anything a run throws at it, or the worker would look alive and do nothing
                log.error("Worker {} slot survived an unexpected error", workerId, t);
                pause(properties.poll().toMillis());
            }
        }
        log.info("Worker {} slot {} ended", workerId, Thread.currentThread().getName());
    }

    private void execute(RunQueue.Lease lease, Device gpu) {
        Thread.interrupted(); // a stale interrupt flag must not cut the next run's I/O short
        Path work = dataDir.resolve("work")
                .resolve("worker-" + workerId)
                .resolve("run-" + lease.runId() + "-" + lease.attempt());
        RunExecution execution = new RunExecution(lease, gpu, queue, metrics, datasets, artifacts, work, name);
        active.put(lease.runId(), execution);
        try {
            if (stopping) {
                execution.stop(RunExecution.Stop.SHUTDOWN);
            }
            execution.run();
        } catch (RuntimeException e) {
            log.error("Run {} left in the hands of lease expiry after an unexpected error", lease.runId(), e);
        } finally {
            active.remove(lease.runId());
        }
    }

    /** Waits for the poll interval or until a run is announced, whichever comes first. */
    private void idle(long ms) {
        synchronized (wake) {
            try {
                wake.wait(ms);
            } catch (InterruptedException e) {
                log.debug("worker slot interrupted while idle; only stop() ends a slot");
            }
        }
    }

    private void wakeSlots() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void cancelRequested(long runId) {
        RunExecution e = active.get(runId);
        if (e != null) {
            e.stop(RunExecution.Stop.CANCEL_REQUESTED);
        }
    }

    /** Reports liveness, learns whether an operator drains us, and renews the leases still held. */
    private void heartbeat() {
        recheckToken();
        try {
            draining = registry.heartbeat(workerId) == WorkerState.DRAINING;
            List<RunExecution> asked = List.copyOf(active.values());
            List<RunQueue.Lease> leases =
                    asked.stream().map(RunExecution::lease).toList();
            Set<Long> held = Set.copyOf(queue.renew(workerId, leases, properties.lease()));
            for (RunExecution e : lost(asked, held, active)) {
                log.warn(
                        "Run {}: lease lost to another worker; stopping here",
                        e.lease().runId());
                e.stop(RunExecution.Stop.LEASE_LOST);
            }
        } catch (RuntimeException e) {
            log.warn("Worker {} heartbeat failed ({}); runs go on, retrying", workerId, Backoff.rootMessage(e));
        }
    }

    /**
     * The executions whose renewal was asked for and refused, and which still run. A run claimed while
     * the renewal was under way was not asked about (it is not lost: its claim is newer than the
     * renewal), and one that ended meanwhile has nothing left to stop.
     */
    static List<RunExecution> lost(List<RunExecution> asked, Set<Long> held, Map<Long, RunExecution> active) {
        return asked.stream()
                .filter(e -> !held.contains(e.lease().runId())
                        && active.get(e.lease().runId()) == e)
                .toList();
    }

    /**
     * A revoked or expired token stops this worker taking runs, as a drain does: the runs it holds
     * finish (their leases are still renewed), and the dashboard shows it DRAINING. The check answers
     * from the token cache, so a heartbeat costs the database a query only every few seconds.
     */
    private void recheckToken() {
        if (token == null || tokenRejected) {
            return;
        }
        String problem;
        try {
            problem = token.problem();
        } catch (RuntimeException e) {
            log.debug("worker token check failed ({}); the next heartbeat asks again", Backoff.rootMessage(e));
            return;
        }
        if (problem == null) {
            return;
        }
        tokenRejected = true;
        log.warn(
                "Worker {} takes no new runs: {}. It finishes the {} run(s) it holds; restart it with a valid token",
                workerId,
                problem,
                active.size());
        try {
            registry.drain(workerId);
        } catch (RuntimeException e) {
            log.warn("Worker {} could not mark itself draining: {}", workerId, Backoff.rootMessage(e));
        }
    }

    /**
     * Cancellation requests and metric flushes, twice a second while something trains; the idle exit
     * of a worker process that has one.
     */
    private void fastTick() {
        if (idleClock != null && idleClock.expired(!active.isEmpty()) && !stopping && !exiting) {
            exiting = true;
            log.info("Worker {} ('{}') had no run for {}: exiting", workerId, name, properties.idleExit());
            // off the tick thread: closing the context stops this worker, which shuts the ticks down
            Thread exit = new Thread(() -> System.exit(SpringApplication.exit(context, () -> 0)), "worker-idle-exit");
            exit.start();
            return;
        }
        if (active.isEmpty()) {
            return;
        }
        try {
            for (Long id : queue.cancelRequested(workerId)) {
                RunExecution e = active.get(id);
                if (e != null) {
                    e.stop(RunExecution.Stop.CANCEL_REQUESTED);
                }
            }
            for (RunExecution e : active.values()) {
                e.flushMetrics();
            }
        } catch (RuntimeException e) {
            log.debug("worker tick failed; retrying", e);
        }
    }

    @Override
    public void stop() {
        stopping = true;
        if (notifications != null) {
            notifications.stop();
        }
        wakeSlots();
        for (RunExecution e : active.values()) {
            e.stop(RunExecution.Stop.SHUTDOWN);
        }
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        for (Thread t : slots) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ticks != null) {
            ticks.shutdownNow();
        }
        try {
            registry.stopped(workerId);
        } catch (RuntimeException e) {
            log.warn("Worker {} could not record its shutdown: {}", workerId, e.getMessage());
        }
        running = false;
        log.info("Worker {} stopped", workerId);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            log.debug("worker slot interrupted while pausing; only stop() ends a slot");
        }
    }
}
