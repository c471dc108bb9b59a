package io.fulcrum.system;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

/**
 * One page of a listing, in a shape that stays stable whatever Spring Data does with its own
 * {@code Page} serialization.
 */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

    /** One page of a listing read without Spring Data: the items, the checked request and the total. */
    public static <T> PageResponse<T> of(List<T> items, org.springframework.data.domain.Pageable request, long total) {
        int size = request.getPageSize();
        return new PageResponse<>(items, request.getPageNumber(), size, total, (int) ((total + size - 1) / size));
    }

    public static <E, T> PageResponse<T> of(Page<E> page, Function<E, T> mapper) {
        return new PageResponse<>(
                page.getContent().stream().map(mapper).toList(),
                page.getNumber(),
                page.getSize(),
                page.getTotalElements(),
                page.getTotalPages());
    }
}
