package io.fulcrum.cluster.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fulcrum.cluster.LauncherProperties;
import io.fulcrum.experiment.LiveWorkers;
import io.fulcrum.experiment.RunQueue;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The launcher named by {@code fulcrum.launcher}, on the server only; an unknown name stops the start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LauncherProperties.class)
class LauncherConfiguration {

    static final Set<String> LAUNCHERS = Set.of("none", "kubernetes");

    LauncherConfiguration(@Value("${fulcrum.launcher:none}") String launcher) {
        String name = launcher.strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !LAUNCHERS.contains(name)) {
            throw new IllegalStateException(
                    "fulcrum.launcher must be none or kubernetes, got '" + launcher.strip() + "'");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("'${fulcrum.launcher:none}'.trim().toLowerCase() == 'kubernetes'"
            + " and '${fulcrum.role:server}'.trim().toLowerCase() == 'server'")
    static class Kubernetes {

        /** In a pod: its service account and namespace; elsewhere: ~/.kube/config or KUBECONFIG. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        KubernetesClient kubernetesClient() {
            return new KubernetesClientBuilder().build();
        }

        @Bean
        KubernetesLauncher kubernetesLauncher(
                LauncherProperties settings, KubernetesClient client, RunQueue queue, LiveWorkers workers) {
            return new KubernetesLauncher(settings, client, queue::waiting, queue, workers);
        }
    }
}
