package io.fulcrum.system;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's JSON mapper for code that is not a Spring bean: the command line, records that
 * parse their own stored JSON columns, filters that write problem details before Spring MVC. Beans
 * take Spring's {@code JsonMapper}. The learning engine keeps its own ({@code io.fulcrum.mtl.Json})
 * for its specs and checkpoints, so that it needs nothing of the platform.
 */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}
}
