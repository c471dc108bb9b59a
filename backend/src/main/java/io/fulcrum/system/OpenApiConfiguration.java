package io.fulcrum.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document as a client generator reads it: a bearer-token scheme that every operation
 * requires, and the problem-detail answers every operation can give (401 and 403 everywhere, 400 where
 * a body or parameters are read, 404 where a path names a resource).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer";
    // inline in each answer: a component schema added by this class did not survive springdoc's scan
    private static final Schema<?> PROBLEM_SCHEMA = problemSchema();
    private static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OpenAPI fulcrumOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        String version = properties == null ? "dev" : properties.getVersion();
        return new OpenAPI()
                .info(new Info()
                        .title("Fulcrum API")
                        .version(version)
                        .description("Task groups, datasets, experiment runs, comparisons and rollouts of multi-task"
                                + " recommendation models. Every call needs an API token as 'Authorization: Bearer"
                                + " <token>' (/api/rank and /api/events a SERVING token, every other a personal one)."
                                + " Errors are RFC 7807 problem details; input errors list every broken rule in"
                                + " `errors` as {field, rule, message}.")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API token: ful_p_… (personal), ful_s_… (serving)")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** Adds the problem answers to every operation springdoc found. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> api.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> addProblems(path, method.name(), operation)));
    }

    private static void addProblems(String path, String method, Operation operation) {
        ApiResponses responses = operation.getResponses();
        if (responses == null) {
            responses = new ApiResponses();
            operation.setResponses(responses);
        }
        boolean readsInput = operation.getRequestBody() != null
                || (operation.getParameters() != null
                        && !operation.getParameters().isEmpty());
        if (readsInput) {
            add(responses, "400", "Invalid input: `errors` names each field and the rule it breaks");
        }
        add(responses, "401", "No credentials, or an unknown, expired or revoked token");
        add(responses, "403", "The token's kind or its owner's role may not " + method + " " + path);
        if (path.contains("{")) {
            add(responses, "404", "No such resource");
        }
    }

    private static void add(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(
                    status,
                    new ApiResponse()
                            .description(description)
                            .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(PROBLEM_SCHEMA))));
        }
    }

    private static Schema<?> problemSchema() {
        Schema<?> violation = new ObjectSchema()
                .properties(Map.of(
                        "field", new StringSchema().description("The field, as a JSON path: models[0].experts.shared"),
                        "rule", new StringSchema().description("The broken rule: required, range, one-of, …"),
                        "message", new StringSchema()));
        return new ObjectSchema()
                .description("An RFC 7807 problem detail")
                .properties(Map.of(
                        "type", new StringSchema().description("urn:fulcrum:problem:…"),
                        "title", new StringSchema(),
                        "status", new IntegerSchema(),
                        "detail", new StringSchema(),
                        "instance", new StringSchema(),
                        "errors", new ArraySchema().items(violation)));
    }
}
