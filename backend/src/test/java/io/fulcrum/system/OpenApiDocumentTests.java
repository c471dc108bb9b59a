package io.fulcrum.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.FulcrumSpringTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** /v3/api-docs as a client generator reads it: valid, with its bearer scheme and its problem answers. */
@FulcrumSpringTest
class OpenApiDocumentTests {

    @Autowired
    MockMvcTester mvc;

    private SwaggerParseResult parse() throws Exception {
        String document = mvc.get().uri("/v3/api-docs").exchange().getResponse().getContentAsString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(document, null, options);
    }

    @Test
    void theDocumentValidates() throws Exception {
        SwaggerParseResult result = parse();

        assertThat(result.getMessages()).as("validation messages").isEmpty();
        assertThat(result.getOpenAPI().getInfo().getLicense().getIdentifier()).isEqualTo("Apache-2.0");
    }

    @Test
    void everyOperationNeedsTheBearerTokenAndDocumentsItsProblemAnswers() throws Exception {
        OpenAPI api = parse().getOpenAPI();

        assertThat(api.getComponents().getSecuritySchemes()).containsKey("bearer");
        assertThat(api.getComponents().getSecuritySchemes().get("bearer").getScheme())
                .isEqualTo("bearer");
        assertThat(api.getSecurity())
                .singleElement()
                .satisfies(r -> assertThat(r).containsKey("bearer"));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op :
                    path.getValue().readOperationsMap().entrySet()) {
                var responses = op.getValue().getResponses();
                for (String status : List.of("401", "403")) {
                    if (!responses.containsKey(status)
                            || !responses.get(status).getContent().containsKey("application/problem+json")) {
                        missing.add(op.getKey() + " " + path.getKey() + " " + status);
                    }
                }
                if (path.getKey().contains("{") && !responses.containsKey("404")) {
                    missing.add(op.getKey() + " " + path.getKey() + " 404");
                }
                if (op.getValue().getRequestBody() != null && !responses.containsKey("400")) {
                    missing.add(op.getKey() + " " + path.getKey() + " 400");
                }
            }
        }
        assertThat(missing).as("operations without their problem answers").isEmpty();
        assertThat(api.getPaths()
                        .get("/api/task-groups")
                        .getPost()
                        .getResponses()
                        .get("400")
                        .getContent()
                        .get("application/problem+json")
                        .getSchema()
                        .getProperties())
                .containsKeys("type", "title", "status", "detail", "errors");
    }
}
