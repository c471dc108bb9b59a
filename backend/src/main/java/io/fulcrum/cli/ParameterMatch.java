package io.fulcrum.cli;

import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.mtl.model.ParameterMatching;
import io.fulcrum.mtl.model.SpecException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --match-params} and {@code --param-budget N} of the reproduce commands: every model but the
 * single-task baseline scaled to within 5% of the budget, or of the largest model without one
 * ({@link ParameterMatching}).
 */
final class ParameterMatch {

    static final String FLAG = "match-params";
    static final String BUDGET = "param-budget";

    private final boolean on;
    private final Long budget;
    // each model's parameters as its options specify it, from the first seed's specs
    private final Map<String, Long> asSpecified = new LinkedHashMap<>();
    private final Map<String, Long> matchedCounts = new LinkedHashMap<>();

    ParameterMatch(boolean on, Long budget) {
        this.on = on;
        this.budget = budget;
    }

    static ParameterMatch parse(CliArgs a) {
        boolean on = a.flag(FLAG);
        String budget = a.string(BUDGET, null);
        if (budget == null) {
            return new ParameterMatch(on, null);
        }
        if (!on) {
            throw new IllegalArgumentException("--" + BUDGET + ": needs --" + FLAG);
        }
        return new ParameterMatch(true, (long) a.integer(BUDGET, 0, 1));
    }

    /** The specs by model, the multi-task ones scaled when matching is on; "single" stays as it is. */
    Map<String, ModelSpec> apply(Map<String, ModelSpec> specs) {
        if (!on) {
            return specs;
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        specs.forEach((model, spec) -> counts.put(model, ParameterMatching.count(spec)));
        if (asSpecified.isEmpty()) {
            asSpecified.putAll(counts);
        }
        long target = budget != null
                ? budget
                : counts.entrySet().stream()
                        .filter(e -> !e.getKey().equals("single"))
                        .mapToLong(Map.Entry::getValue)
                        .max()
                        .orElse(0);
        Map<String, ModelSpec> matched = new LinkedHashMap<>();
        for (Map.Entry<String, ModelSpec> e : specs.entrySet()) {
            try {
                matched.put(
                        e.getKey(),
                        e.getKey().equals("single") ? e.getValue() : ParameterMatching.match(e.getValue(), target));
            } catch (SpecException ex) {
                throw new IllegalArgumentException(
                        "--" + (budget != null ? BUDGET : FLAG) + ": "
                                + String.join("; ", ex.violations()).replaceFirst("^parameterBudget: ", ""),
                        ex);
            }
        }
        if (matchedCounts.isEmpty()) {
            matched.forEach((model, spec) -> matchedCounts.put(model, ParameterMatching.count(spec)));
        }
        return matched;
    }

    void describe(Map<String, Object> settings) {
        settings.put("matchParameters", on);
        if (budget != null) {
            settings.put("parameterBudget", budget);
        }
        if (on) {
            // what the match changed, on the first seed (vocabularies, and so embeddings, may differ by
            // seed); the maps fill when the first seed's models are built, before the report is written
            settings.put("parametersAsSpecified", asSpecified);
            settings.put("parametersMatched", matchedCounts);
        }
    }
}
