package io.fulcrum.cli;

import io.fulcrum.mtl.model.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model as the command line names it: an architecture, or {@code mmoe-norm}, {@code cgc-norm} or
 * {@code ple-norm} for that architecture with HoME's expert normalisation ({@code expertNorm: true}).
 */
record ModelName(Architecture architecture, boolean expertNorm) {

    private static final String NORM = "-norm";

    static Optional<ModelName> parse(String name) {
        Optional<Architecture> plain = Architecture.byName(name);
        if (plain.isPresent()) {
            return Optional.of(new ModelName(plain.get(), false));
        }
        if (name.endsWith(NORM)) {
            return Architecture.byName(name.substring(0, name.length() - NORM.length()))
                    .filter(Architecture::normalizesExperts)
                    .map(a -> new ModelName(a, true));
        }
        return Optional.empty();
    }

    /** The names with expert normalisation, one per architecture that takes it. */
    static List<String> normalized() {
        List<String> names = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            if (a.normalizesExperts()) {
                names.add(a.cliName() + NORM);
            }
        }
        return names;
    }

    /** Every name {@code --models} accepts. */
    static List<String> all() {
        List<String> names = new ArrayList<>(Architecture.names());
        names.addAll(normalized());
        return names;
    }

    /** The parsed names of {@code --models}, or an error naming the unknown one and what is known. */
    static void check(List<String> models) {
        for (String m : models) {
            if (parse(m).isEmpty()) {
                throw new IllegalArgumentException(
                        "--models: unknown '" + m + "' (one of " + String.join(", ", all()) + ")");
            }
        }
    }
}
