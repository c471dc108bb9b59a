package io.fulcrum.rollout.internal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The body of {@code POST /api/events} as the API documents it. The endpoint reads the body with
 * {@link EventBatchReader} token by token rather than binding it to this record, so that a batch of
 * 10,000 events costs no intermediate objects; clients and tests may serialise it.
 */
@Schema(name = "EventBatch")
public record EventBatchRequest(
        @Schema(description = "At most fulcrum.events.max-batch events (10,000 by default)")
        List<Event> events) {

    @Schema(name = "Event")
    public record Event(
            @Schema(
                    description = "Unique id of the event, 1 to 100 characters: a retried post counts it once",
                    example = "e-7f3a9c")
            String id,

            @Schema(
                    description = "exposure, click, play, watch_time, completion, share or comment",
                    example = "watch_time")
            String type,

            @Schema(description = "1 to 200 characters", example = "u-42")
            String userId,

            @Schema(description = "The item (video), at most 200 characters", example = "v-1001")
            String itemId,

            @Schema(
                    description = "The ranking request that showed the item (UUID); attributes the event to that"
                            + " request's experiment and variant",
                    example = "9b2f0a4e-5c1d-4e8a-b7f3-2d6c9e0a1b3c")
            String requestId,

            @Schema(
                    description = "watch_time: seconds watched (finite, >= 0); completion: the share watched in 0..1;"
                            + " absent or null for every other type",
                    example = "12.5")
            Double value,

            @Schema(
                    description = "When it happened, an ISO-8601 instant within 30 days before and 1 day after the"
                            + " server's time",
                    example = "2026-11-28T10:15:30Z")
            String occurredAt) {}
}
