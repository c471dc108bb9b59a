package io.fulcrum.system;

import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Checks the {@code page} and {@code size} query parameters of a listing endpoint. */
public final class PageRequests {

    public static final int MAX_SIZE = 200;

    private PageRequests() {}

    public static PageRequest of(int page, int size, Sort sort) {
        List<FieldViolation> violations = new ArrayList<>();
        if (page < 0) {
            violations.add(new FieldViolation("page", "min", "must be at least 0"));
        }
        if (size < 1 || size > MAX_SIZE) {
            violations.add(new FieldViolation("size", "range", "must be between 1 and " + MAX_SIZE));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return PageRequest.of(page, size, sort);
    }
}
