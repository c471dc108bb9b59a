package io.fulcrum.simulator;

/**
 * One column of the simulator's impressions.
 *
 * @param name the column name, snake_case, as task groups refer to labels (e.g. {@code valid_view})
 * @param kind dense feature, categorical feature or label
 * @param index the position within the columns of the same kind, i.e. in the array that {@link
 *     Impression} writes that kind to
 * @param cardinality for a categorical column the number of ids; 0 otherwise
 */
public record Column(String name, ColumnKind kind, int index, int cardinality) {}
