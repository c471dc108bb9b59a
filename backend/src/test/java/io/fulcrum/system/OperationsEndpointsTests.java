package io.fulcrum.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Health with the database, build and git info, Prometheus metrics and the OpenAPI document. */
@FulcrumSpringTest
class OperationsEndpointsTests {

    @Autowired
    MockMvcTester mvc;

    @Test
    void healthIncludesTheDatabase() {
        MvcTestResult result = mvc.get().uri("/actuator/health").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("UP");
        assertThat(result).bodyJson().extractingPath("$.components.db.status").isEqualTo("UP");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.components.db.details.database")
                .isEqualTo("PostgreSQL");
    }

    @Test
    void anAnonymousProbeGetsTheStatusOnly() {
        MvcTestResult result = mvc.get()
                .uri("/actuator/health")
                .with(SecurityMockMvcRequestPostProcessors.anonymous())
                .exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo("UP");
        assertThat(result).bodyJson().doesNotHavePath("$.components");
        assertThat(result).bodyText().doesNotContain("path", "PostgreSQL");
    }

    @Test
    void infoNamesVersionAndGitCommit() {
        MvcTestResult result = mvc.get().uri("/actuator/info").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.build.version")
                .asString()
                .isNotBlank();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.git.commit.id")
                .asString()
                .isNotBlank();
    }

    @Test
    void exposesPrometheusMetrics() {
        MvcTestResult result = mvc.get().uri("/actuator/prometheus").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyText().contains("jvm_memory_used_bytes", "hikaricp_connections");
    }

    @Test
    void documentsTheApiWithOpenApi() {
        MvcTestResult result = mvc.get().uri("/v3/api-docs").exchange();

        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.info.title").isEqualTo("Fulcrum API");
        assertThat(result)
                .bodyJson()
                .extractingPath("$.paths['/api/task-groups'].post.operationId")
                .isNotNull();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.paths['/api/task-groups/{id}'].put")
                .isNotNull();
        assertThat(result)
                .bodyJson()
                .extractingPath("$.components.schemas.TaskGroup")
                .isNotNull();
    }

    @Test
    void servesSwaggerUi() {
        assertThat(mvc.get().uri("/swagger-ui/index.html")).hasStatusOk();
    }
}
