package io.fulcrum.dataset;

import io.fulcrum.security.AuditLog;
import io.fulcrum.system.Actors;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs dataset imports in the background, one at a time per server (an import uses a core and the
 * disk fully), so that a page can show a progress bar. The request is validated before it is queued.
 * Jobs live in PostgreSQL ({@link ImportJobStore}): any server answers for any job, and a job outlives
 * the server that accepted it. A server that stops (or crashes) mid-import leaves a RUNNING job whose
 * heartbeat goes stale; after {@code fulcrum.datasets.import-lease} a server re-queues it, removes the
 * interrupted attempt's partial cache and runs it again from the start (the source file or upload is
 * still on disk; if it is not, the job fails saying so). The finished jobs kept are the newest
 * {@value #KEPT_JOBS}.
 */
@Service
public class DatasetImports {

    static final int KEPT_JOBS = 100;
    /** Attempts a job gets before an interrupted one fails for good; a graceful shutdown's does not count. */
    static final int MAX_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(DatasetImports.class);
    private static final long PROGRESS_WRITE_NANOS = 1_000_000_000L;

    private final DatasetManagement datasets;
    private final ImportJobStore jobs;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final Duration lease;
    private final boolean server;
    private final String owner = ownerName();
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private volatile boolean stopping;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "dataset-import");
        thread.setDaemon(true);
        return thread;
    });

    DatasetImports(
            DatasetManagement datasets,
            ImportJobStore jobs,
            AuditLog audit,
            PlatformTransactionManager transactions,
            JsonMapper json,
            @Value("${fulcrum.datasets.import-lease:30s}") Duration lease,
            @Value("${fulcrum.role:server}") String role) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.json = json;
        this.lease = lease;
        this.server = !role.strip().equalsIgnoreCase("worker");
    }

    /** Who runs a job: unique per server process, readable in the table for whoever looks. */
    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    String owner() {
        return owner;
    }

    public ImportJobView start(DatasetRequest request) {
        DatasetPlan plan = datasets.validate(request);
        String id = UUID.randomUUID().toString();
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("name", plan.name());
        started.put("kind", plan.kind());
        if (plan.file() != null) {
            started.put("file", plan.file().getFileName().toString());
        }
        String actor = Actors.current();
        transaction.executeWithoutResult(status -> {
            jobs.insert(id, plan.name(), request, sizeOf(plan.file()), actor);
            audit.record("dataset-import.start", "dataset-import/" + id, null, null, started);
        });
        drainSoon();
        return get(id);
    }

    public ImportJobView get(String id) {
        return jobs.find(id).orElseThrow(() -> new NotFoundException("Dataset import", id));
    }

    /**
     * Start-up: jobs left RUNNING by a server that is gone, and jobs still QUEUED, are taken up again.
     * A server that just restarted finds its own interrupted job stale only once its lease has passed
     * since the last heartbeat: {@link #check()} re-runs it then.
     */
    @EventListener(ApplicationReadyEvent.class)
    void recoverAtStartup() {
        if (server) {
            recover();
        }
    }

    /**
     * Every few seconds ({@code fulcrum.datasets.import-check}): shows this server's running job alive,
     * re-queues the stale jobs of servers that stopped, and takes up queued jobs.
     */
    @Scheduled(
            fixedDelayString = "${fulcrum.datasets.import-check:5s}",
            initialDelayString = "${fulcrum.datasets.import-check:5s}")
    void check() {
        if (!server || stopping) {
            return;
        }
        try {
            jobs.heartbeat(owner);
            recover();
        } catch (RuntimeException e) {
            log.warn("dataset import check failed ({}); trying again later", e.getMessage());
        }
    }

    /** Re-queues the stale running jobs (failing those out of attempts) and starts draining the queue. */
    void recover() {
        List<ImportJobStore.Expired> expired = transaction.execute(status -> {
            List<ImportJobStore.Expired> found = jobs.expire(lease, MAX_ATTEMPTS);
            for (ImportJobStore.Expired job : found) {
                audit.recordAs(
                        Actors.SYSTEM,
                        job.state().equals("QUEUED") ? "dataset-import.requeue" : "dataset-import.fail",
                        "dataset-import/" + job.id(),
                        "its server stopped reporting during attempt " + job.attempt()
                                + (job.state().equals("QUEUED") ? "; it runs again from the start" : "; not retried"),
                        null,
                        null);
            }
            return found;
        });
        if (!expired.isEmpty()) {
            log.warn("{} dataset import(s) lost their server and went back to the queue (or failed)", expired.size());
        }
        if (jobs.hasQueued()) {
            drainSoon();
        }
    }

    private void drainSoon() {
        if (server && !stopping && drainQueued.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** Runs queued jobs until none is left that another server has not taken. */
    void drain() {
        drainQueued.set(false);
        while (!stopping) {
            ImportJobStore.Claim claim;
            try {
                claim = jobs.claimNext(owner).orElse(null);
            } catch (RuntimeException e) {
                log.warn("could not claim a dataset import ({}); the next check tries again", e.getMessage());
                return;
            }
            if (claim == null) {
                return;
            }
            run(claim);
        }
    }

    private void run(ImportJobStore.Claim claim) {
        if (claim.attempt() > 1) {
            log.info(
                    "Dataset import {} ('{}') runs again, attempt {}",
                    claim.id(),
                    claim.datasetName(),
                    claim.attempt());
        }
        List<FieldViolation> errors;
        try {
            removePartialFiles(claim.id());
            DatasetRequest request = json.readValue(claim.request(), DatasetRequest.class);
            DatasetPlan plan = datasets.validate(request);
            DatasetManagement.Registrar registrar = new DatasetManagement.Registrar(
                    claim.actor(),
                    claim.id(),
                    claim.id() + "-" + UUID.randomUUID().toString().substring(0, 8),
                    dataset -> {
                        if (!jobs.succeeded(claim, dataset)) {
                            throw new ClaimLostException(claim);
                        }
                    });
            datasets.register(plan, request, new ThrottledProgress(claim), registrar);
            jobs.prune(KEPT_JOBS);
            return;
        } catch (ClaimLostException e) {
            log.warn("Dataset import {} was taken over by another attempt; this one registers nothing", claim.id());
            return;
        } catch (InvalidInputException e) {
            errors = sourceGone(claim, e.violations());
        } catch (ConflictException e) {
            errors = e.violations().isEmpty()
                    ? List.of(new FieldViolation("name", "unique", e.getMessage()))
                    : e.violations();
        } catch (RuntimeException e) {
            if (!stopping) {
                log.error("Import of dataset '{}' failed", claim.datasetName(), e);
            }
            errors = List.of(new FieldViolation("file", "importable", String.valueOf(e.getMessage())));
        }
        if (stopping) {
            // interrupted by the shutdown, not a bad import: the job runs again (given back, or after its lease)
            log.info("Dataset import {} stopped by the shutdown", claim.id());
            return;
        }
        try {
            jobs.failed(claim, errors);
            jobs.prune(KEPT_JOBS);
        } catch (RuntimeException e) {
            log.warn("could not record the failure of dataset import {} ({})", claim.id(), e.getMessage());
        }
    }

    /** A re-run whose file or upload has gone says so first: the user must start a new import. */
    private static List<FieldViolation> sourceGone(ImportJobStore.Claim claim, List<FieldViolation> violations) {
        boolean fileMissing = violations.stream()
                .anyMatch(v -> v.field().equals("file.path") || v.field().equals("file.uploadId"));
        if (claim.attempt() <= 1 || !fileMissing) {
            return violations;
        }
        List<FieldViolation> errors = new ArrayList<>();
        errors.add(new FieldViolation(
                "file",
                "still-there",
                "the import was interrupted by a server restart and could not run again: its source file is"
                        + " gone; upload or place the file again and start a new import"));
        errors.addAll(violations);
        return errors;
    }

    /**
     * The interrupted attempt's cache and staging directories ({@code <job id>-…} under the datasets
     * directory). No dataset uses them: an import's dataset is registered in the same transaction that
     * marks its job done, so a job that runs again never had one.
     */
    private void removePartialFiles(String jobId) {
        Path dir = datasets.datasetsDir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(jobId + "-"))
                    .toList()) {
                log.info("Removing {}, left by an interrupted import", entry);
                FileSystemUtils.deleteRecursively(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return file == null ? 0 : Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Hands the running job back to the queue, so that the next server start runs it without waiting,
     * and only then interrupts it: the interrupted attempt's writes no longer match the job's claim, and
     * it registers nothing.
     */
    @PreDestroy
    void stop() {
        stopping = true;
        if (server) {
            try {
                int given = jobs.giveBack(owner);
                if (given > 0) {
                    log.info("{} dataset import(s) given back to the queue at shutdown", given);
                }
            } catch (RuntimeException e) {
                log.warn(
                        "could not give back the running dataset import ({}); it is re-run after its lease",
                        e.getMessage());
            }
        }
        executor.shutdownNow();
        try {
            // a moment for the interrupted attempt to remove its partial files, before the process ends
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes the bytes read to the job at most once a second (the import reports far more often), and
     * stops an attempt whose job has been taken over.
     */
    private final class ThrottledProgress implements java.util.function.LongConsumer {

        private final ImportJobStore.Claim claim;
        private long lastWrite = System.nanoTime();

        ThrottledProgress(ImportJobStore.Claim claim) {
            this.claim = claim;
        }

        @Override
        public void accept(long bytesRead) {
            long now = System.nanoTime();
            if (now - lastWrite < PROGRESS_WRITE_NANOS) {
                return;
            }
            lastWrite = now;
            boolean stillOurs;
            try {
                stillOurs = jobs.progress(claim, bytesRead);
            } catch (RuntimeException e) {
                log.debug("progress of dataset import {} not recorded", claim.id(), e);
                return; // the database is away for now: import on, the final write decides
            }
            if (!stillOurs) {
                throw new ClaimLostException(claim); // stops the import; its partial files are removed
            }
        }
    }

    /** The job was re-queued and claimed again while this attempt ran: this attempt must register nothing. */
    private static final class ClaimLostException extends RuntimeException {
        ClaimLostException(ImportJobStore.Claim claim) {
            super("dataset import " + claim.id() + " attempt " + claim.attempt() + " is no longer this server's");
        }
    }
}
