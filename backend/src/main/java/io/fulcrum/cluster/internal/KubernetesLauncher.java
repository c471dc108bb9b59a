package io.fulcrum.cluster.internal;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fulcrum.cluster.LauncherProperties;
import io.fulcrum.experiment.LiveWorkers;
import io.fulcrum.experiment.ResourceRequest;
import io.fulcrum.experiment.RunQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Watches the queue and keeps as many worker Jobs alive as the waiting runs need (see {@link
 * LaunchPlan}); deletes the Jobs that finished. Misconfiguration fails the start; an API server that
 * refuses or fails a call is logged and tried again at the next look, and the runs it left without a
 * worker say why.
 */
public final class KubernetesLauncher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KubernetesLauncher.class);

    private final LauncherProperties settings;
    private final KubernetesClient client;
    private final Function<Duration, List<RunQueue.Waiting>> waiting;
    private final RunQueue queue;
    private final LiveWorkers workers;
    private final String namespace;
    private ScheduledExecutorService ticks;
    private volatile boolean running;

    /**
     * @param waiting the waiting runs, by need ({@link RunQueue#waiting} outside tests)
     * @throws IllegalStateException when no image or namespace is set, or the API server says this
     *     account may not create Jobs in the namespace
     */
    public KubernetesLauncher(
            LauncherProperties settings,
            KubernetesClient client,
            Function<Duration, List<RunQueue.Waiting>> waiting,
            RunQueue queue,
            LiveWorkers workers) {
        this.settings = settings;
        this.client = client;
        this.waiting = waiting;
        this.queue = queue;
        this.workers = workers;
        if (settings.image() == null) {
            throw new IllegalStateException("fulcrum.launcher=kubernetes needs the worker image:"
                    + " set fulcrum.launcher.image (FULCRUM_LAUNCHER_IMAGE)");
        }
        String ns = settings.namespace() != null ? settings.namespace() : client.getNamespace();
        if (ns == null || ns.isBlank()) {
            throw new IllegalStateException("fulcrum.launcher=kubernetes needs a namespace:"
                    + " set fulcrum.launcher.namespace (FULCRUM_LAUNCHER_NAMESPACE) or run in a pod");
        }
        this.namespace = ns;
        checkMayCreateJobs();
    }

    /** Asks the API server whether this account may create Jobs here; a clear no stops the start. */
    private void checkMayCreateJobs() {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withGroup("batch")
                .withResource("jobs")
                .withVerb("create")
                .withNamespace(namespace)
                .endResourceAttributes()
                .endSpec()
                .build();
        try {
            SelfSubjectAccessReview answer =
                    client.authorization().v1().selfSubjectAccessReview().create(review);
            if (answer.getStatus() != null
                    && Boolean.FALSE.equals(answer.getStatus().getAllowed())) {
                String why = answer.getStatus().getReason();
                throw new IllegalStateException("fulcrum.launcher=kubernetes: this account may not create Jobs in"
                        + " namespace " + namespace + (why == null || why.isBlank() ? "" : " (" + why + ")")
                        + "; give it the Role in deploy/kubernetes/launcher-rbac.yaml");
            }
        } catch (KubernetesClientException e) {
            // an API server that cannot answer now is not a misconfiguration: the first look says more
            log.warn("Launcher cannot check its permission in namespace {} yet: {}", namespace, describe(e));
        }
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void start() {
        ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubernetes-launcher");
            t.setDaemon(true);
            return t;
        });
        long every = settings.interval().toMillis();
        ticks.scheduleWithFixedDelay(this::lookSafely, every, every, TimeUnit.MILLISECONDS);
        running = true;
        log.info(
                "Kubernetes launcher started: namespace {}, image {}, at most {} workers, looking every {}",
                namespace,
                settings.image(),
                settings.maxWorkers(),
                settings.interval());
    }

    private void lookSafely() {
        try {
            look();
        } catch (RuntimeException e) {
            // the scheduler drops a task that throws: the launcher must outlive any one look
            log.error("Launcher look failed; trying again in {}", settings.interval(), e);
        }
    }

    /** One look: clean up finished Jobs, plan, start workers, tell the runs left waiting why. */
    public void look() {
        List<Job> jobs;
        try {
            jobs = client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withLabel(WorkerJobs.MANAGED_BY, WorkerJobs.LAUNCHER)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            log.warn("Launcher cannot list its Jobs in namespace {}: {}", namespace, describe(e));
            return;
        }
        List<LaunchPlan.ActiveJob> active = new ArrayList<>();
        for (Job job : jobs) {
            if (WorkerJobs.finished(job)) {
                delete(job);
            } else {
                active.add(new LaunchPlan.ActiveJob(
                        job.getMetadata().getName(),
                        job.getMetadata().getLabels().getOrDefault(WorkerJobs.GROUP, "")));
            }
        }
        List<LiveWorkers.Capacity> accepting = workers.accepting();
        Set<Long> busy = queue.runningOn(
                        accepting.stream().map(LiveWorkers.Capacity::id).toList())
                .keySet();
        LaunchPlan plan = LaunchPlan.of(
                waiting.apply(settings.grace()),
                accepting,
                busy,
                active,
                settings.maxWorkers(),
                settings.maxGpusPerWorker());
        Map<ResourceRequest, String> notes = new java.util.HashMap<>(plan.notes());
        for (LaunchPlan.Launch launch : plan.launches()) {
            String problem = launch(launch);
            if (problem != null) {
                notes.put(launch.need(), RunQueue.LAUNCHER_NOTE + " " + problem);
            }
        }
        notes.forEach(queue::noteLauncher);
    }

    /** Creates the launch's Jobs; what went wrong, in words, or null. */
    private String launch(LaunchPlan.Launch launch) {
        for (int i = 0; i < launch.workers(); i++) {
            Job job = WorkerJobs.job(launch.need(), settings, namespace);
            try {
                client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
                log.info(
                        "Launcher started worker Job {} for {} run(s) needing {}",
                        job.getMetadata().getName(),
                        launch.workers(),
                        WorkerJobs.group(launch.need()));
            } catch (KubernetesClientException e) {
                String problem = (e.getCode() == 403
                                ? "no permission to create Jobs in namespace " + namespace
                                : "cannot create a worker Job in namespace " + namespace)
                        + " (" + describe(e) + ")";
                log.warn("Launcher: {}", problem);
                return problem;
            }
        }
        return null;
    }

    private void delete(Job job) {
        String name = job.getMetadata().getName();
        try {
            // its pod goes with it
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(name)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                    .delete();
            log.info("Launcher deleted finished worker Job {}", name);
        } catch (KubernetesClientException e) {
            log.warn("Launcher cannot delete finished Job {}: {}", name, describe(e));
        }
    }

    static String describe(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return "HTTP " + e.getCode() + ": " + message;
    }

    @Override
    public void stop() {
        running = false;
        if (ticks != null) {
            ticks.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
