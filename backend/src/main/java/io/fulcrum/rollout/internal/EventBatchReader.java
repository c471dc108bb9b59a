package io.fulcrum.rollout.internal;

import io.fulcrum.rollout.EventRecord;
import io.fulcrum.rollout.EventType;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.Json;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads {@code {"events": [...]}} token by token straight from the request body into validated
 * {@link EventRecord}s: no tree, no intermediate objects, and a batch over the cap is refused as soon
 * as its first surplus event is seen. Every rule of every event is checked; any violation refuses the
 * whole batch with one {@link InvalidInputException} naming {@code events[i].field} and the rule.
 * Unknown properties are ignored, so clients may send more than Fulcrum reads.
 */
public final class EventBatchReader {

    /** How far back an event may have occurred: older days may already be dropped by retention. */
    public static final Duration MAX_AGE = Duration.ofDays(30);

    /** How far ahead of the server's clock an event may be stamped (client clock skew). */
    public static final Duration MAX_AHEAD = Duration.ofDays(1);

    public static final int MAX_ID = 100;
    public static final int MAX_USER_ID = 200;
    public static final int MAX_ITEM_ID = 200;

    /** A refused batch names at most this many violations, so that a broken client gets a readable answer. */
    public static final int MAX_VIOLATIONS = 1000;

    /** Stands for a property of the wrong JSON type (already reported): by identity, never by equals. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String WRONG_TYPE = new String("wrong type");

    private final int maxBatch;
    private final Instant oldest;
    private final Instant newest;
    private final List<FieldViolation> violations = new ArrayList<>();
    private int dropped;

    public EventBatchReader(int maxBatch, Instant now) {
        this.maxBatch = maxBatch;
        this.oldest = now.minus(MAX_AGE);
        this.newest = now.plus(MAX_AHEAD);
    }

    /**
     * The batch's events in the order sent, duplicates included.
     *
     * @throws InvalidInputException when any event breaks a rule (nothing is returned then)
     * @throws tools.jackson.core.JacksonException when the body is not JSON
     * @throws EmptyBody when there is no body at all
     */
    public List<EventRecord> read(InputStream body) {
        List<EventRecord> events = new ArrayList<>();
        boolean sawEvents = false;
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            JsonToken root = p.nextToken();
            if (root == null) {
                throw new EmptyBody();
            }
            if (root != JsonToken.START_OBJECT) {
                throw new InvalidInputException(
                        new FieldViolation("$", "type", "the body must be an object {\"events\": [...]}"));
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("events")) {
                    p.skipChildren();
                    continue;
                }
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                sawEvents = true;
                if (value != JsonToken.START_ARRAY) {
                    violation("events", "type", "must be a list of events");
                    p.skipChildren();
                    continue;
                }
                readArray(p, events);
            }
        }
        if (!sawEvents) {
            violation("events", "required", "must be a list of events");
        }
        if (!violations.isEmpty()) {
            if (dropped > 0) {
                violations.add(new FieldViolation("events", "valid", "and " + dropped + " more violations not listed"));
            }
            throw new InvalidInputException(violations);
        }
        return events;
    }

    private void readArray(JsonParser p, List<EventRecord> events) {
        int index = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (index >= maxBatch) {
                // The rest is not read: a batch over the cap is refused whatever it holds.
                violations.add(
                        0,
                        new FieldViolation(
                                "events",
                                "max-size",
                                "a batch holds at most " + maxBatch + " events; send more batches"));
                throw new InvalidInputException(violations);
            }
            if (t == JsonToken.START_OBJECT) {
                EventRecord e = readEvent(p, "events[" + index + "]");
                if (e != null) {
                    events.add(e);
                }
            } else {
                violation("events[" + index + "]", "type", "must be an object");
                p.skipChildren();
            }
            index++;
        }
    }

    /** One event from its START_OBJECT to its END_OBJECT; null when it broke a rule. */
    private EventRecord readEvent(JsonParser p, String path) {
        String id = null;
        String type = null;
        String userId = null;
        String itemId = null;
        String requestId = null;
        String occurredAt = null;
        double value = 0;
        boolean hasValue = false;
        boolean valueWrongType = false;
        int before = violations.size() + dropped;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = string(p, t, path, name);
                case "type" -> type = string(p, t, path, name);
                case "userId" -> userId = string(p, t, path, name);
                case "itemId" -> itemId = string(p, t, path, name);
                case "requestId" -> requestId = string(p, t, path, name);
                case "occurredAt" -> occurredAt = string(p, t, path, name);
                case "value" -> {
                    hasValue = false;
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        value = p.getDoubleValue();
                        hasValue = true;
                    } else if (t != JsonToken.VALUE_NULL) {
                        valueWrongType = true;
                        violation(path + ".value", "type", "must be a number");
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        text(path + ".id", id, MAX_ID, true);
        text(path + ".userId", userId, MAX_USER_ID, true);
        text(path + ".itemId", itemId, MAX_ITEM_ID, false);
        EventType eventType = null;
        if (type == null) {
            violation(path + ".type", "required", "must be one of " + wires());
        } else if (type != WRONG_TYPE) {
            eventType = EventType.fromWire(type).orElse(null);
            if (eventType == null) {
                violation(path + ".type", "one-of", "must be one of " + wires() + ", was '" + clip(type) + "'");
            }
        }
        UUID request = null;
        if (requestId != null && requestId != WRONG_TYPE) {
            request = uuid(requestId);
            if (request == null) {
                violation(path + ".requestId", "format", "must be a UUID (8-4-4-4-12 hex digits)");
            }
        }
        if (eventType != null && !valueWrongType) {
            checkValue(path + ".value", eventType, hasValue, value);
        }
        Instant at = null;
        if (occurredAt == null) {
            violation(path + ".occurredAt", "required", "must be an ISO-8601 instant, e.g. 2026-11-28T10:15:30Z");
        } else if (occurredAt != WRONG_TYPE) {
            try {
                at = Instant.parse(occurredAt);
                if (at.isBefore(oldest) || at.isAfter(newest)) {
                    violation(
                            path + ".occurredAt",
                            "range",
                            "must lie within " + MAX_AGE.toDays() + " days before and " + MAX_AHEAD.toDays()
                                    + " day after the server's time (" + oldest + " … " + newest + ")");
                }
            } catch (DateTimeParseException e) {
                violation(path + ".occurredAt", "format", "must be an ISO-8601 instant, e.g. 2026-11-28T10:15:30Z");
            }
        }
        if (violations.size() + dropped != before) {
            return null;
        }
        return new EventRecord(id, eventType, userId, itemId, request, eventType.needsValue() ? value : null, at);
    }

    private void checkValue(String field, EventType type, boolean hasValue, double value) {
        if (!type.needsValue()) {
            if (hasValue) {
                violation(field, "not-allowed", "only watch_time and completion events carry a value");
            }
            return;
        }
        if (!hasValue) {
            violation(
                    field,
                    "required",
                    type == EventType.WATCH_TIME
                            ? "a watch_time event needs the seconds watched"
                            : "a completion event needs the share of the video watched, 0..1");
            return;
        }
        if (type == EventType.WATCH_TIME && !(Double.isFinite(value) && value >= 0)) {
            violation(field, "range", "seconds watched must be a finite number >= 0");
        }
        if (type == EventType.COMPLETION && !(value >= 0 && value <= 1)) {
            violation(field, "range", "a completion ratio must lie in 0..1");
        }
    }

    /** A string property; null when absent or JSON null, a violation for any other JSON type. */
    private String string(JsonParser p, JsonToken t, String path, String name) {
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t != JsonToken.VALUE_NULL) {
            violation(path + "." + name, "type", "must be a string");
            p.skipChildren();
            return WRONG_TYPE;
        }
        return null;
    }

    private void text(String field, String value, int max, boolean required) {
        if (value == WRONG_TYPE) {
            return;
        }
        if (value == null || value.isEmpty()) {
            if (required) {
                violation(field, "required", "must be a non-empty string of at most " + max + " characters");
            }
            return;
        }
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            violation(field, "max-length", "must be at most " + max + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            violation(field, "format", "must not contain NUL characters");
        }
    }

    /** Only the canonical 36-character form: {@link UUID#fromString} also takes '1-2-3-4-5'. */
    public static UUID uuid(String s) {
        if (s.length() != 36) {
            return null;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (dash ? c != '-' : !hex) {
                return null;
            }
        }
        return UUID.fromString(s);
    }

    private void violation(String field, String rule, String message) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(new FieldViolation(field, rule, message));
        } else {
            dropped++;
        }
    }

    private static String wires() {
        StringBuilder s = new StringBuilder();
        for (EventType t : EventType.values()) {
            s.append(s.isEmpty() ? "" : ", ").append(t.wire());
        }
        return s.toString();
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** The request had no body. */
    public static final class EmptyBody extends RuntimeException {
        EmptyBody() {
            super("the request has no body", null, false, false);
        }
    }
}
