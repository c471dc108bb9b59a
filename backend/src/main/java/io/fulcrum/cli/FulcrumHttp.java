package io.fulcrum.cli;

import io.fulcrum.system.ApiClient;
import io.fulcrum.system.Json;
import tools.jackson.databind.JsonNode;

/**
 * JSON trees over a running Fulcrum's REST API, for commands that must go through the API only; a
 * failed call throws with the server's problem detail (see {@link ApiClient}). Reads use a personal
 * token; the ranking and event calls use a serving token, the only kind those endpoints accept.
 */
final class FulcrumHttp {

    static final String TOKEN_ENV = "FULCRUM_TOKEN";
    static final String SERVING_TOKEN_ENV = "FULCRUM_SERVING_TOKEN";

    private final ApiClient reader;
    private final ApiClient serving;

    FulcrumHttp(String server, String token, String servingToken) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "--token (or " + TOKEN_ENV + ") is required: a personal API token of a VIEWER or above");
        }
        if (servingToken == null || servingToken.isBlank()) {
            throw new IllegalArgumentException("--serving-token (or " + SERVING_TOKEN_ENV
                    + ") is required: a SERVING token for ranking and events");
        }
        this.reader = new ApiClient(server, token);
        this.serving = reader.withToken(servingToken);
    }

    JsonNode get(String path) {
        return tree(reader.get(path));
    }

    /** A call of the serving path: {@code /api/rank} or {@code /api/events}. */
    JsonNode serve(String path, Object body) {
        return tree(serving.post(path, Json.MAPPER.writeValueAsString(body)));
    }

    private static JsonNode tree(String body) {
        return body == null || body.isEmpty() ? null : Json.MAPPER.readTree(body);
    }
}
