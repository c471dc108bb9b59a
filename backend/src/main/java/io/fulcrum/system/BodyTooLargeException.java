package io.fulcrum.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * Thrown by a request body's stream once more bytes were read than its limit allows. Unchecked, so
 * that it passes through JSON parsers untouched (or as the cause of their exception) to
 * {@link ProblemDetailsAdvice}, which answers 413.
 */
class BodyTooLargeException extends RuntimeException {

    static final String TITLE = "Request body too large";

    private final String property;
    private final long maxBytes;

    BodyTooLargeException(String property, long maxBytes) {
        super("the request body is larger than " + readable(maxBytes) + " (" + property + "); send less per request");
        this.property = property;
        this.maxBytes = maxBytes;
    }

    /** The problem's extra members: which limit, in bytes, and the broken rule like any input error. */
    Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("limit", property);
        properties.put("maxBytes", maxBytes);
        properties.put("errors", List.of(new FieldViolation("$", "max-body-size", getMessage())));
        return properties;
    }

    /** This exception where a parser wrapped it, or null. */
    static BodyTooLargeException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    private static String readable(long bytes) {
        DataSize size = DataSize.ofBytes(bytes);
        if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
            return size.toMegabytes() + "MB";
        }
        if (bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
            return size.toKilobytes() + "KB";
        }
        return bytes + " bytes";
    }
}
