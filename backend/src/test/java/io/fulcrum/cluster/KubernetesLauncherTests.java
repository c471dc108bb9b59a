package io.fulcrum.cluster;

import static io.fulcrum.experiment.ExperimentFixtures.QUICK;
import static io.fulcrum.experiment.ExperimentFixtures.SMALL_MMOE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fulcrum.FulcrumSpringTest;
import io.fulcrum.cluster.internal.KubernetesLauncher;
import io.fulcrum.experiment.ExperimentFixtures;
import io.fulcrum.experiment.LiveWorkers;
import io.fulcrum.experiment.RunQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * The launcher against fabric8's Kubernetes mock server in CRUD mode (Jobs are stored and listed as an
 * API server would) over the real queue and worker table. Each test's runs ask for a label of their
 * own, and the launcher sees only those runs: other test classes leave runs waiting in the shared
 * database.
 */
@FulcrumSpringTest
@EnableKubernetesMockClient(crud = true)
class KubernetesLauncherTests {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RunQueue queue;

    @Autowired
    LiveWorkers workers;

    ExperimentFixtures fx;
    String label;
    String namespace;

    @BeforeEach
    void fixtures() {
        fx = new ExperimentFixtures(mvc);
        label = ExperimentFixtures.unique("k8s");
        namespace = ExperimentFixtures.unique("ns");
    }

    LauncherProperties settings(int maxWorkers) {
        return new LauncherProperties(
                namespace,
                "ghcr.io/example/fulcrum:1",
                "ghcr.io/example/fulcrum-cuda:1",
                null,
                maxWorkers,
                2,
                Duration.ofSeconds(1),
                Duration.ZERO,
                null,
                null,
                Duration.ofMinutes(3),
                null,
                "fulcrum-data",
                "/var/lib/fulcrum");
    }

    KubernetesLauncher launcher(int maxWorkers) {
        return new KubernetesLauncher(
                settings(maxWorkers),
                client,
                grace -> queue.waiting(grace).stream()
                        .filter(w -> w.need().workerLabels().contains(label))
                        .toList(),
                queue,
                workers);
    }

    long queueRun(String device, int gpus) {
        return fx.create("/api/runs", fx.run(SMALL_MMOE, QUICK, """
                "resources": {"device": "%s", "gpuCount": %d, "workerLabels": ["%s"]}""".formatted(device, gpus, label)));
    }

    List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
    }

    static Map<String, String> env(Job job) {
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        return c.getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
    }

    String reason(long run) {
        return queue.run(run).reason();
    }

    long liveWorker(String name, int gpus, boolean busy) {
        long id = jdbc.queryForObject(
                "INSERT INTO worker (name, host, version, cpu_cores, memory_bytes, gpu_count, concurrency, state,"
                        + " labels, started_at, heartbeat_at)"
                        + " VALUES (?, 'test', 'test', 1, 1, ?, 1, 'ACTIVE', ?::jsonb, now(), now()) RETURNING id",
                Long.class,
                name,
                gpus,
                "[\"" + label + "\"]");
        if (busy) {
            long run = queueRun("cpu", 0);
            queue.claim(new RunQueue.WorkerSlot(id, gpus, List.of(label)), Duration.ofMinutes(5));
            assertThat(queue.run(run).workerId()).isEqualTo(id);
        }
        return id;
    }

    @Test
    void gpuRunsGetOneJobEachUpToTheMaximumAndTheRestSayWhy() {
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(queueRun("gpu", 1));
        }
        KubernetesLauncher launcher = launcher(2);

        launcher.look();

        List<Job> jobs = jobs();
        assertThat(jobs).hasSize(2);
        Job job = jobs.get(0);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ghcr.io/example/fulcrum-cuda:1");
        assertThat(c.getArgs()).containsExactly("worker");
        assertThat(c.getResources().getLimits().get("nvidia.com/gpu").getAmount())
                .isEqualTo("1");
        assertThat(c.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("fulcrum-worker");
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsExactly(Map.entry("fulcrum.io/" + label, "true"));
        assertThat(env(job))
                .containsEntry("FULCRUM_WORKER_NAME", job.getMetadata().getName())
                .containsEntry("FULCRUM_WORKER_LABELS", label)
                .containsEntry("FULCRUM_WORKER_CONCURRENCY", "1")
                .containsEntry("FULCRUM_WORKER_IDLE_EXIT", "PT3M")
                .containsEntry("FULCRUM_WORKER_EXPECT_GPU", "true");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(c.getVolumeMounts().get(0).getMountPath()).isEqualTo("/var/lib/fulcrum");
        assertThat(job.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getVolumes()
                        .get(0)
                        .getPersistentVolumeClaim()
                        .getClaimName())
                .isEqualTo("fulcrum-data");
        for (long run : runs) {
            assertThat(reason(run)).startsWith("launcher: 2 launched workers are alive");
        }

        // the two started workers have not registered yet: they still count, nothing more starts
        launcher.look();
        assertThat(jobs()).hasSize(2);
    }

    @Test
    void noJobWhileALiveWorkerCanTakeTheRunAndOneWhenItIsBusy() {
        long idle = liveWorker(ExperimentFixtures.unique("idle"), 0, false);
        long run = queueRun("cpu", 0);
        KubernetesLauncher launcher = launcher(4);

        launcher.look();
        assertThat(jobs()).isEmpty();
        assertThat(reason(run)).isNull();

        // that worker is now busy with another run: the waiting one needs a worker of its own
        queue.claim(new RunQueue.WorkerSlot(idle, 0, List.of(label)), Duration.ofMinutes(5));
        long waiting = queue.run(run).state() == io.fulcrum.experiment.RunState.QUEUED ? run : queueRun("cpu", 0);
        launcher.look();
        List<Job> jobs = jobs();
        assertThat(jobs).hasSize(1);
        Container c =
                jobs.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ghcr.io/example/fulcrum:1");
        assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(c.getResources().getRequests().get("cpu").getAmount()).isEqualTo("2");
        assertThat(reason(waiting)).isNull();
    }

    @Test
    void finishedJobsAreDeletedAndTheirWorkersNotReplacedWhenNothingWaits() {
        long run = queueRun("cpu", 0);
        KubernetesLauncher launcher = launcher(4);
        launcher.look();
        Job job = jobs().get(0);
        // the started worker takes the run and finishes it; its Job completes
        long worker = liveWorker(job.getMetadata().getName(), 0, false);
        queue.claim(new RunQueue.WorkerSlot(worker, 0, List.of(label)), Duration.ofMinutes(5));
        assertThat(queue.run(run).workerId()).isEqualTo(worker);
        client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(job.getMetadata().getName())
                .editStatus(j -> {
                    j.setStatus(new JobStatusBuilder().withSucceeded(1).build());
                    return j;
                });

        launcher.look();

        assertThat(jobs()).isEmpty();
    }

    @Test
    void aRefusedOrFailedCreateIsNotedOnTheRunsAndTheNextLookRecovers() {
        long run = queueRun("cpu", 0);
        KubernetesLauncher launcher = launcher(4);
        String path = "/apis/batch/v1/namespaces/" + namespace + "/jobs";
        server.expect()
                .post()
                .withPath(path)
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withCode(403)
                                .withMessage(
                                        "jobs.batch is forbidden: User \"system:serviceaccount:x:y\" cannot create")
                                .build())
                .once();

        launcher.look();

        assertThat(jobs()).isEmpty();
        assertThat(reason(run))
                .startsWith("launcher: no permission to create Jobs in namespace " + namespace)
                .contains("HTTP 403");

        // the client retries 5xx answers itself; what reaches the launcher is a refusal like this one
        server.expect()
                .post()
                .withPath(path)
                .andReturn(
                        422,
                        new StatusBuilder()
                                .withCode(422)
                                .withMessage("Job.batch is invalid: spec.template.spec.nodeSelector: Invalid value")
                                .build())
                .once();
        launcher.look();
        assertThat(reason(run)).contains("cannot create a worker Job").contains("HTTP 422");

        launcher.look();
        assertThat(jobs()).hasSize(1);
        assertThat(reason(run)).as("the note goes once a worker is started").isNull();
    }

    @Test
    void aListingErrorSkipsOneLookOnly() {
        // 401 (an expired token that is renewed): the client retries 5xx answers by itself
        queueRun("cpu", 0);
        KubernetesLauncher launcher = launcher(4);
        server.expect()
                .get()
                .withPath("/apis/batch/v1/namespaces/" + namespace
                        + "/jobs?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dfulcrum-launcher")
                .andReturn(
                        401,
                        new StatusBuilder()
                                .withCode(401)
                                .withMessage("Unauthorized")
                                .build())
                .once();

        launcher.look();
        assertThat(jobs()).isEmpty();

        launcher.look();
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void aRunAskingForMoreGpusThanANodeOffersIsToldSo() {
        long run = queueRun("gpu", 4);

        launcher(4).look();

        assertThat(jobs()).isEmpty();
        assertThat(reason(run))
                .isEqualTo("launcher: no node offers 4 GPUs to one worker (fulcrum.launcher.max-gpus-per-worker = 2)");
    }

    @Test
    void misconfigurationFailsTheStart() {
        LauncherProperties noImage = new LauncherProperties(
                namespace, null, null, null, 1, 1, Duration.ofSeconds(1), null, null, null, null, null, null, null);
        assertThatThrownBy(() -> new KubernetesLauncher(noImage, client, g -> List.of(), queue, workers))
                .hasMessageContaining("fulcrum.launcher.image");

        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                .andReturn(
                        201,
                        new SelfSubjectAccessReviewBuilder()
                                .withNewStatus()
                                .withAllowed(false)
                                .withReason("no RBAC rule")
                                .endStatus()
                                .build())
                .once();
        assertThatThrownBy(() -> launcher(1))
                .hasMessageContaining("may not create Jobs in namespace " + namespace)
                .hasMessageContaining("no RBAC rule");
    }
}
