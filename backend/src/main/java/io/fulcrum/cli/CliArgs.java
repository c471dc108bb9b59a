package io.fulcrum.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Positional words, {@code --name value} / {@code --name=value} options and {@code --flag} switches
 * (also {@code --flag=true|false}), checked against the known names.
 */
final class CliArgs {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags;

    CliArgs(String[] args, Set<String> known) {
        this(args, known, Set.of());
    }

    CliArgs(String[] args, Set<String> known, Set<String> flags) {
        this.flags = flags;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + ": needs a value");
            }
            if (!known.contains(name) && !flags.contains(name)) {
                throw new IllegalArgumentException("--" + name + ": unknown option");
            }
            options.put(name, value);
        }
    }

    List<String> positional() {
        return positional;
    }

    /** Whether a switch is on: given bare or as {@code =true}. */
    boolean flag(String name) {
        String v = options.get(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (!flags.contains(name) || !v.equals("true")) {
            throw new IllegalArgumentException("--" + name + ": a switch, given alone or as =true or =false");
        }
        return true;
    }

    String string(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback, int min) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new IllegalArgumentException("--" + name + ": must be >= " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": not an integer: '" + v + "'");
        }
    }

    /**
     * A relative amount written as a fraction or a percentage: "0.02" and "2%" are both 0.02.
     *
     * @throws NumberFormatException when the text (without its %) is no number
     */
    static double fraction(String text) {
        String v = text.strip();
        boolean percent = v.endsWith("%");
        double value = Double.parseDouble(percent ? v.substring(0, v.length() - 1) : v);
        return percent ? value / 100 : value;
    }

    double decimal(String name, double fallback) {
        String v = options.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": not a number: '" + v + "'");
        }
    }

    /**
     * Seeds as a count N (seeds 1..N) or a comma list of distinct positive seeds such as {@code 101,102,103},
     * in the order given.
     */
    List<Integer> seeds(String name, int fallbackCount) {
        String v = options.get(name);
        if (v == null) {
            return IntStream.rangeClosed(1, fallbackCount).boxed().toList();
        }
        String[] parts = v.split(",", -1);
        List<Integer> seeds = new ArrayList<>();
        for (String part : parts) {
            int seed;
            try {
                seed = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--" + name + ": a count such as 5 or a list of seeds such as 1,2,3," + " got '" + v + "'");
            }
            if (seed < 1) {
                throw new IllegalArgumentException("--" + name + ": " + (parts.length == 1 ? "the count" : "every seed")
                        + " must be >= 1, got " + seed);
            }
            if (seeds.contains(seed)) {
                throw new IllegalArgumentException("--" + name + ": seed " + seed + " is given twice");
            }
            seeds.add(seed);
        }
        return parts.length == 1
                ? IntStream.rangeClosed(1, seeds.get(0)).boxed().toList()
                : List.copyOf(seeds);
    }

    List<String> list(String name, String fallback) {
        return Arrays.stream(string(name, fallback).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    String format() {
        String f = string("format", "table");
        if (!f.equals("table") && !f.equals("json")) {
            throw new IllegalArgumentException("--format: must be table or json, got '" + f + "'");
        }
        return f;
    }
}
