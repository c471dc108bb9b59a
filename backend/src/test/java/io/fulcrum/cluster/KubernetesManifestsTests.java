package io.fulcrum.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest under deploy/kubernetes parses into the typed resource it claims to be, and fits the launcher. */
class KubernetesManifestsTests {

    private static final Path DIR = Path.of("..", "deploy", "kubernetes");

    static List<HasMetadata> load() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> resources = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (f.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(f)) {
                    Object parsed = serialization.unmarshal(in);
                    if (parsed instanceof List<?> list) {
                        list.forEach(o -> resources.add((HasMetadata) o));
                    } else {
                        resources.add((HasMetadata) parsed);
                    }
                }
            }
        }
        return resources;
    }

    @Test
    void everyManifestIsAKnownKindAndTheKustomizationListsEveryFile() throws IOException {
        List<HasMetadata> resources = load();
        assertThat(resources).noneMatch(r -> r instanceof GenericKubernetesResource);
        assertThat(resources.stream()
                        .map(r -> r.getKind() + "/" + r.getMetadata().getName()))
                .containsExactlyInAnyOrder(
                        "Secret/fulcrum-db",
                        "Secret/fulcrum-worker",
                        "PersistentVolumeClaim/fulcrum-data",
                        "ServiceAccount/fulcrum-launcher",
                        "Role/fulcrum-launcher",
                        "RoleBinding/fulcrum-launcher",
                        "Deployment/fulcrum",
                        "Service/fulcrum");
        String kustomization = Files.readString(DIR.resolve("kustomization.yaml"));
        try (Stream<Path> files = Files.list(DIR)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(n -> assertThat(kustomization).contains("- " + n));
        }
    }

    @Test
    void theLauncherMayManageJobsInItsNamespaceOnly() throws IOException {
        List<HasMetadata> resources = load();
        Role role = one(resources, Role.class);
        assertThat(role.getRules()).hasSize(1);
        assertThat(role.getRules().get(0).getApiGroups()).containsExactly("batch");
        assertThat(role.getRules().get(0).getResources()).containsExactly("jobs");
        assertThat(role.getRules().get(0).getVerbs()).doesNotContain("*");
        RoleBinding binding = one(resources, RoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects().get(0).getName())
                .isEqualTo(one(resources, ServiceAccount.class).getMetadata().getName());
    }

    @Test
    void theServerRunsTheLauncherOnAnExternalDatabaseWithItsDataVolume() throws IOException {
        List<HasMetadata> resources = load();
        Deployment server = one(resources, Deployment.class);
        var pod = server.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("fulcrum-launcher");
        var container = pod.getContainers().get(0);
        Map<String, String> env = container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertThat(env)
                .containsEntry("FULCRUM_LAUNCHER", "kubernetes")
                .containsKey("FULCRUM_LAUNCHER_IMAGE")
                // workers fetch dataset caches from the artifact store: no shared volume needed
                .doesNotContainKey("FULCRUM_LAUNCHER_DATA_VOLUME_CLAIM");
        String dataDir = env.get("FULCRUM_DATA_DIR");
        assertThat(container.getVolumeMounts().get(0).getMountPath()).isEqualTo(dataDir);
        assertThat(one(resources, PersistentVolumeClaim.class).getSpec().getAccessModes())
                .containsExactly("ReadWriteOnce");
        String dbSecret = container.getEnvFrom().get(0).getSecretRef().getName();
        assertThat(resources.stream()
                        .filter(r ->
                                r instanceof Secret && r.getMetadata().getName().equals(dbSecret))
                        .map(r -> ((Secret) r).getStringData().keySet())
                        .findFirst()
                        .orElseThrow())
                .contains("FULCRUM_DB_URL", "FULCRUM_DB_USER", "FULCRUM_DB_PASSWORD");
        Secret worker = resources.stream()
                .filter(r -> r instanceof Secret && r.getMetadata().getName().equals("fulcrum-worker"))
                .map(Secret.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(worker.getStringData()).containsKey("FULCRUM_WORKER_TOKEN");
        Service service = one(resources, Service.class);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(server.getSpec().getSelector().getMatchLabels());
    }

    private static <T> T one(List<HasMetadata> resources, Class<T> type) {
        List<T> found =
                resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }
}
