package io.fulcrum.cluster.internal;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fulcrum.cluster.LauncherProperties;
import io.fulcrum.experiment.ResourceRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kubernetes Job that runs one worker for runs with a given need. */
final class WorkerJobs {

    /** Every Job the launcher creates carries it; the launcher lists and cleans up only these. */
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    static final String LAUNCHER = "fulcrum-launcher";
    /** The need a Job's worker was started for (see {@link #group}). */
    static final String GROUP = "fulcrum.io/worker-group";
    /** A node serves runs asking for label L when it carries {@code fulcrum.io/L=true}. */
    static final String NODE_LABEL_PREFIX = "fulcrum.io/";

    private static final SecureRandom RANDOM = new SecureRandom();

    private WorkerJobs() {}

    /** A label value naming a need: cpu or gpuN, then a hash of the worker labels when there are any. */
    static String group(ResourceRequest need) {
        String device = need.device().equals("gpu") ? "gpu" + need.gpuCount() : "cpu";
        if (need.workerLabels().isEmpty()) {
            return device;
        }
        List<String> sorted = need.workerLabels().stream().sorted().toList();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", sorted).getBytes(StandardCharsets.UTF_8));
            return device + "-" + HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Job job(ResourceRequest need, LauncherProperties settings, String namespace) {
        boolean gpu = need.device().equals("gpu");
        String group = group(need);
        String name = "fulcrum-worker-" + group + "-" + suffix();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, LAUNCHER);
        labels.put("app.kubernetes.io/name", "fulcrum");
        labels.put("app.kubernetes.io/component", "worker");
        labels.put(GROUP, group);
        Map<String, String> nodeSelector = new LinkedHashMap<>();
        for (String label : need.workerLabels()) {
            nodeSelector.put(NODE_LABEL_PREFIX + label, "true");
        }
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity(settings.cpu()));
        resources.put("memory", new Quantity(settings.memory()));
        Map<String, Quantity> limits = new LinkedHashMap<>(resources);
        if (gpu) {
            // extended resources are asked for in limits; the scheduler reads the request from them
            limits.put("nvidia.com/gpu", new Quantity(Integer.toString(need.gpuCount())));
        }
        List<EnvVar> env = new ArrayList<>();
        // the worker lists itself under its Job's name, so the launcher knows when it has registered
        env.add(env("FULCRUM_WORKER_NAME", name));
        env.add(env("FULCRUM_WORKER_LABELS", String.join(",", need.workerLabels())));
        env.add(env("FULCRUM_WORKER_CONCURRENCY", "1"));
        env.add(env("FULCRUM_WORKER_IDLE_EXIT", settings.workerIdleExit().toString()));
        if (gpu) {
            env.add(env("FULCRUM_WORKER_EXPECT_GPU", "true"));
        }
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        if (settings.dataVolumeClaim() != null) {
            env.add(env("FULCRUM_DATA_DIR", settings.dataDir()));
            volumes.add(new VolumeBuilder()
                    .withName("data")
                    .withNewPersistentVolumeClaim()
                    .withClaimName(settings.dataVolumeClaim())
                    .endPersistentVolumeClaim()
                    .build());
            mounts.add(new VolumeMountBuilder()
                    .withName("data")
                    .withMountPath(settings.dataDir())
                    .build());
        }
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                // a failed worker is not retried by Kubernetes: its runs are requeued by lease expiry and
                // the launcher starts another worker if they still need one
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(settings.serviceAccount())
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withVolumes(volumes)
                .addNewContainer()
                .withName("worker")
                .withImage(settings.imageFor(gpu))
                .withArgs("worker")
                .addNewEnvFrom()
                .withNewSecretRef()
                .withName(settings.secret())
                .endSecretRef()
                .endEnvFrom()
                .withEnv(env)
                .withVolumeMounts(mounts)
                .withNewResources()
                .withRequests(resources)
                .withLimits(limits)
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** Whether the Job's one pod has ended, either way (backoff limit 0: one failure ends it). */
    static boolean finished(Job job) {
        var status = job.getStatus();
        if (status == null) {
            return false;
        }
        if ((status.getSucceeded() != null && status.getSucceeded() > 0)
                || (status.getFailed() != null && status.getFailed() > 0)) {
            return true;
        }
        return status.getConditions() != null
                && status.getConditions().stream()
                        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                                && "True".equals(c.getStatus()));
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static String suffix() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
