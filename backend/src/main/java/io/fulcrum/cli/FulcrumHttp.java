package io.fulcrum.cli;

import io.fulcrum.mtl.Json;
import io.fulcrum.system.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * JSON trees over a running Fulcrum's REST API, for commands that must go through the API only; a
 * failed call throws with the server's problem detail (see {@link ApiClient}).
 */
final class FulcrumHttp {

    private final ApiClient api;

    FulcrumHttp(String server) {
        this.api = new ApiClient(server);
    }

    JsonNode get(String path) {
        return tree(api.get(path));
    }

    JsonNode post(String path, Object body) {
        return tree(api.post(path, Json.MAPPER.writeValueAsString(body)));
    }

    private static JsonNode tree(String body) {
        return body == null || body.isEmpty() ? null : Json.MAPPER.readTree(body);
    }
}
