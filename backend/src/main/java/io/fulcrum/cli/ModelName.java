package io.fulcrum.cli;

import io.fulcrum.mtl.model.Architecture;
import io.fulcrum.mtl.train.GradientBalancing;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model as the command line names it: an architecture; {@code mmoe-norm}, {@code cgc-norm} or
 * {@code ple-norm} for that architecture with HoME's expert normalisation ({@code expertNorm: true});
 * either followed by {@code @gradnorm}, {@code @pcgrad} or {@code @cagrad} for gradient balancing with
 * its defaults (never on {@code single}).
 */
record ModelName(Architecture architecture, boolean expertNorm, GradientBalancing balancing) {

    private static final String NORM = "-norm";

    static Optional<ModelName> parse(String name) {
        int at = name.indexOf('@');
        GradientBalancing balancing = GradientBalancing.NONE;
        String model = name;
        if (at >= 0) {
            String method = name.substring(at + 1);
            if (method.equals("none") || !GradientBalancing.METHODS.contains(method)) {
                return Optional.empty();
            }
            balancing = GradientBalancing.of(method);
            model = name.substring(0, at);
        }
        GradientBalancing chosen = balancing;
        Optional<ModelName> parsed = Architecture.byName(model).map(a -> new ModelName(a, false, chosen));
        if (parsed.isEmpty() && model.endsWith(NORM)) {
            parsed = Architecture.byName(model.substring(0, model.length() - NORM.length()))
                    .filter(Architecture::normalizesExperts)
                    .map(a -> new ModelName(a, true, chosen));
        }
        return parsed.filter(m -> !(m.architecture() == Architecture.SINGLE && chosen.active()));
    }

    /** The rows bench train adds for the balancing methods: PLE with each. */
    static List<String> balanced() {
        List<String> names = new ArrayList<>();
        for (String method : GradientBalancing.METHODS) {
            if (!method.equals("none")) {
                names.add(Architecture.PLE.cliName() + "@" + method);
            }
        }
        return names;
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
                throw new IllegalArgumentException("--models: unknown '" + m + "' (one of "
                        + String.join(", ", all()) + ", each but single optionally with @gradnorm, @pcgrad"
                        + " or @cagrad)");
            }
        }
    }
}
