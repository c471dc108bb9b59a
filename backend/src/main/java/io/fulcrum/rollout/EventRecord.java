package io.fulcrum.rollout;

import java.time.Instant;
import java.util.UUID;

/**
 * One validated user event. {@code requestId} (the ranking that showed the item) attributes it to
 * that request's experiment and variant; {@code value} carries seconds or a completion ratio.
 */
public record EventRecord(
        String eventId,
        EventType type,
        String userId,
        String itemId,
        UUID requestId,
        Double value,
        Instant occurredAt) {}
