package io.fulcrum.mtl.model;

import java.util.List;

/**
 * Sizes a model to a parameter budget, so that architectures are compared at equal capacity: the
 * widths of its experts, bottoms and towers are scaled by one common factor (each at least 1) until
 * its parameter count is within the tolerance of the budget. Embedding tables and gates keep their
 * sizes: they follow from the data and the expert count, not from a width.
 */
public final class ParameterMatching {

    /** How far from the budget a matched model may be, as a share of the budget. */
    public static final double TOLERANCE = 0.05;

    private ParameterMatching() {}

    /** The parameters a model of this spec has, counted from its block's shapes without allocating them. */
    public static long count(ModelSpec spec) {
        return MultiTaskBlocks.create(spec).getParameters().values().stream()
                .filter(ai.djl.nn.Parameter::requiresGradient)
                .mapToLong(p -> p.getShape().size())
                .sum();
    }

    /** The fewest parameters the spec's architecture can have here: every scaled width 1. */
    public static long smallest(ModelSpec spec) {
        return count(scaled(spec, 0));
    }

    /**
     * The spec with its widths scaled so that its parameter count is as close to {@code budget} as
     * common scaling gets, and within {@link #TOLERANCE} of it.
     *
     * @throws SpecException when no scaling comes within the tolerance: the budget is below the
     *     smallest model, or widths' rounding steps over it
     */
    public static ModelSpec match(ModelSpec spec, long budget) {
        spec.validated();
        long floor = smallest(spec);
        if (floor > budget * (1 + TOLERANCE)) {
            throw new SpecException(List.of("parameterBudget: " + spec.architecture() + " has at least " + floor
                    + " parameters here (its embeddings and gates alone), above the budget " + budget));
        }
        // grow an upper factor, then bisect: the count never falls as the factor grows
        double low = 0;
        double high = 1;
        while (count(scaled(spec, high)) < budget && high < 1e6) {
            low = high;
            high *= 2;
        }
        ModelSpec best = scaled(spec, high);
        long bestDistance = Math.abs(count(best) - budget);
        for (int i = 0; i < 60 && bestDistance > 0; i++) {
            double mid = (low + high) / 2;
            ModelSpec candidate = scaled(spec, mid);
            long n = count(candidate);
            if (Math.abs(n - budget) < bestDistance) {
                best = candidate;
                bestDistance = Math.abs(n - budget);
            }
            if (n < budget) {
                low = mid;
            } else {
                high = mid;
            }
        }
        if (bestDistance > budget * TOLERANCE) {
            throw new SpecException(List.of("parameterBudget: " + spec.architecture() + " comes no closer than "
                    + count(best) + " parameters to the budget " + budget));
        }
        return best;
    }

    /** The spec with every expert, bottom and tower width multiplied by {@code factor}, rounded, at least 1. */
    static ModelSpec scaled(ModelSpec spec, double factor) {
        return new ModelSpec(
                spec.architecture(),
                spec.inputs(),
                spec.tasks(),
                new ModelSpec.Experts(spec.experts().shared(), spec.experts().perTask(), expertWidths(spec, factor)),
                widths(spec.bottomUnits(), factor),
                widths(spec.towerUnits(), factor),
                spec.levels(),
                spec.gateBias(),
                spec.activation(),
                spec.dropout(),
                spec.sluiceSubspaces(),
                spec.expertNorm(),
                spec.calibratorWeight());
    }

    /** Sluice splits the experts' last width into subspaces: it stays a multiple of their count. */
    private static List<Integer> expertWidths(ModelSpec spec, double factor) {
        List<Integer> units = new java.util.ArrayList<>(widths(spec.experts().units(), factor));
        if (spec.kind() == Architecture.SLUICE) {
            int last = units.size() - 1;
            int parts = spec.sluiceSubspaces();
            units.set(last, Math.max(parts, (units.get(last) + parts - 1) / parts * parts));
        }
        return List.copyOf(units);
    }

    private static List<Integer> widths(List<Integer> units, double factor) {
        return units.stream()
                .map(u -> (int) Math.max(1, Math.min(Integer.MAX_VALUE / 4, Math.round(u * factor))))
                .toList();
    }
}
