package io.fulcrum.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code fulcrum.limits} (docs/configuration.md; docs/security.md, "Limits and hostile
 * input").
 *
 * @param maxJsonBody the largest body of an API request that is not a multipart upload (default 10MB);
 *     larger ones are answered 413 before they are read whole
 * @param maxEventsBody the same for {@code POST /api/events}, whose batches are larger (default 32MB)
 */
@ConfigurationProperties("fulcrum.limits")
public record RequestLimits(DataSize maxJsonBody, DataSize maxEventsBody) {

    static final String MAX_JSON_BODY = "fulcrum.limits.max-json-body";
    static final String MAX_EVENTS_BODY = "fulcrum.limits.max-events-body";

    public RequestLimits {
        maxJsonBody = maxJsonBody == null ? DataSize.ofMegabytes(10) : maxJsonBody;
        maxEventsBody = maxEventsBody == null ? DataSize.ofMegabytes(32) : maxEventsBody;
        if (maxJsonBody.toBytes() < 1 || maxEventsBody.toBytes() < 1) {
            throw new IllegalArgumentException("fulcrum.limits.* must be at least 1 byte");
        }
    }
}
