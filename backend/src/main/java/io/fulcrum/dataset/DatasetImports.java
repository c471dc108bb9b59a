package io.fulcrum.dataset;

import io.fulcrum.security.AuditLog;
import io.fulcrum.system.Actors;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import jakarta.annotation.PreDestroy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs dataset imports in the background, one at a time (an import uses a core and the disk fully),
 * so that a page can show a progress bar. The request is validated before it is queued; jobs are
 * kept in memory, the last {@value #KEPT_JOBS} of them.
 */
@Service
public class DatasetImports {

    static final int KEPT_JOBS = 100;
    private static final Logger log = LoggerFactory.getLogger(DatasetImports.class);

    private final DatasetManagement datasets;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "dataset-import");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    DatasetImports(DatasetManagement datasets, AuditLog audit, PlatformTransactionManager transactions) {
        this.datasets = datasets;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
    }

    public ImportJobView start(DatasetRequest request) {
        DatasetPlan plan = datasets.validate(request);
        Job job = new Job(UUID.randomUUID().toString(), plan.name(), sizeOf(plan.file()));
        DatasetManagement.Registrar registrar = new DatasetManagement.Registrar(Actors.current(), job.id);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("name", plan.name());
        started.put("kind", plan.kind());
        if (plan.file() != null) {
            started.put("file", plan.file().getFileName().toString());
        }
        transaction.executeWithoutResult(
                status -> audit.record("dataset-import.start", "dataset-import/" + job.id, null, null, started));
        synchronized (jobs) {
            jobs.put(job.id, job);
            while (jobs.size() > KEPT_JOBS) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        executor.submit(() -> run(job, plan, request, registrar));
        return job.view();
    }

    public ImportJobView get(String id) {
        synchronized (jobs) {
            Job job = jobs.get(id);
            if (job == null) {
                throw new NotFoundException("Dataset import", id);
            }
            return job.view();
        }
    }

    private void run(Job job, DatasetPlan plan, DatasetRequest request, DatasetManagement.Registrar registrar) {
        try {
            DatasetView dataset = datasets.register(plan, request, bytes -> job.bytesRead = bytes, registrar);
            job.finish(dataset.id(), List.of());
        } catch (InvalidInputException e) {
            job.finish(null, e.violations());
        } catch (ConflictException e) {
            job.finish(
                    null,
                    e.violations().isEmpty()
                            ? List.of(new FieldViolation("name", "unique", e.getMessage()))
                            : e.violations());
        } catch (RuntimeException e) {
            log.error("Import of dataset '{}' failed", plan.name(), e);
            job.finish(null, List.of(new FieldViolation("file", "importable", String.valueOf(e.getMessage()))));
        }
    }

    private static long sizeOf(Path file) {
        try {
            return file == null ? 0 : Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    private static final class Job {

        final String id;
        final String name;
        final long totalBytes;
        final Instant startedAt = Instant.now();
        volatile long bytesRead;
        volatile Long datasetId;
        volatile List<FieldViolation> errors;
        volatile Instant finishedAt;

        Job(String id, String name, long totalBytes) {
            this.id = id;
            this.name = name;
            this.totalBytes = totalBytes;
        }

        void finish(Long datasetId, List<FieldViolation> errors) {
            this.datasetId = datasetId;
            this.errors = new ArrayList<>(errors);
            this.bytesRead = datasetId != null ? totalBytes : bytesRead;
            this.finishedAt = Instant.now();
        }

        ImportJobView view() {
            Instant finished = finishedAt;
            String state = finished == null ? "RUNNING" : datasetId != null ? "SUCCEEDED" : "FAILED";
            double progress = finished != null && datasetId != null
                    ? 1.0
                    : totalBytes == 0 ? 0.0 : Math.min(1.0, (double) bytesRead / totalBytes);
            return new ImportJobView(
                    id,
                    name,
                    state,
                    bytesRead,
                    totalBytes,
                    progress,
                    datasetId,
                    errors == null ? List.of() : errors,
                    startedAt,
                    finished);
        }
    }
}
