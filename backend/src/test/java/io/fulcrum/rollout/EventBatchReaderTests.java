package io.fulcrum.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.rollout.internal.EventBatchReader;
import io.fulcrum.system.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventBatchReaderTests {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEventsInOrderWithDuplicatesAndIgnoresUnknownProperties() {
        String json = """
                {"source": {"app": "ios"}, "events": [
                  {"id": "a", "type": "watch_time", "userId": "u", "value": 12, "occurredAt": "2026-11-28T13:00:00+02:00",
                   "extra": [1, {"x": 2}]},
                  {"id": "b", "type": "exposure", "userId": "u", "itemId": "v", "value": null,
                   "requestId": "9B2F0A4E-5C1D-4E8A-B7F3-2D6C9E0A1B3C", "occurredAt": "2026-10-30T00:00:00Z"},
                  {"id": "a", "type": "completion", "userId": "u", "value": 1, "occurredAt": "2026-11-29T11:59:59Z"}
                ]}""";

        List<EventRecord> events = new EventBatchReader(10, NOW).read(body(json));

        assertThat(events)
                .containsExactly(
                        new EventRecord(
                                "a",
                                EventType.WATCH_TIME,
                                "u",
                                null,
                                null,
                                12.0,
                                Instant.parse("2026-11-28T11:00:00Z")),
                        new EventRecord(
                                "b",
                                EventType.EXPOSURE,
                                "u",
                                "v",
                                UUID.fromString("9b2f0a4e-5c1d-4e8a-b7f3-2d6c9e0a1b3c"),
                                null,
                                Instant.parse("2026-10-30T00:00:00Z")),
                        new EventRecord(
                                "a",
                                EventType.COMPLETION,
                                "u",
                                null,
                                null,
                                1.0,
                                Instant.parse("2026-11-29T11:59:59Z")));
    }

    @Test
    void moreEventsThanTheCapAreRefusedAsOneViolation() {
        String event =
                "{\"id\": \"a\", \"type\": \"click\", \"userId\": \"u\", \"occurredAt\": \"2026-11-28T12:00:00Z\"}";
        String four = "{\"events\": [" + String.join(",", event, event, event, event) + "]}";

        assertThat(new EventBatchReader(4, NOW).read(body(four))).hasSize(4);
        assertThatThrownBy(() -> new EventBatchReader(3, NOW).read(body(four)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.violations()).singleElement().satisfies(v -> {
                            assertThat(v.field()).isEqualTo("events");
                            assertThat(v.rule()).isEqualTo("max-size");
                        }));
    }

    @Test
    void aBrokenClientGetsABoundedAnswer() {
        StringBuilder json = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 2000; i++) {
            json.append(i == 0 ? "" : ",").append("{}");
        }
        json.append("]}");
        // Four violations per empty event: 8,000, of which the first 1,000 are listed and the rest counted.
        assertThatThrownBy(() -> new EventBatchReader(10_000, NOW).read(body(json.toString())))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.violations()).hasSize(EventBatchReader.MAX_VIOLATIONS + 1);
                    assertThat(e.violations()
                                    .get(EventBatchReader.MAX_VIOLATIONS)
                                    .message())
                            .isEqualTo("and 7000 more violations not listed");
                });
    }

    @Test
    void onlyCanonicalUuids() {
        assertThat(EventBatchReader.uuid("9b2f0a4e-5c1d-4e8a-b7f3-2d6c9e0a1b3c"))
                .isNotNull();
        assertThat(EventBatchReader.uuid("1-2-3-4-5")).isNull();
        assertThat(EventBatchReader.uuid("9b2f0a4e-5c1d-4e8a-b7f3-2d6c9e0a1b3g"))
                .isNull();
        assertThat(EventBatchReader.uuid("9b2f0a4e05c1d-4e8a-b7f3-2d6c9e0a1b3c"))
                .isNull();
    }
}
