package io.fulcrum.cli;

import io.fulcrum.simulator.VideoWorldSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code reproduce video --world KNOB=V1,V2,…}: one world per value of one conflict knob
 * ({@link VideoWorldSpec.Conflict}), every other knob at its default. Without the option, the one
 * default world.
 */
record WorldSweep(String knob, List<Double> values) {

    static final List<String> KNOBS =
            List.of("taskCorrelation", "clickbait", "clickbaitSignalNoise", "segments", "segmentStrength");

    static WorldSweep parse(String option) {
        if (option == null) {
            return new WorldSweep(null, List.of());
        }
        int eq = option.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(
                    "--world: one knob and its values, such as taskCorrelation=1,0.5,0,-0.5, got '" + option + "'");
        }
        String knob = option.substring(0, eq).trim();
        if (!KNOBS.contains(knob)) {
            throw new IllegalArgumentException(
                    "--world: unknown knob '" + knob + "' (one of " + String.join(", ", KNOBS) + ")");
        }
        List<Double> values = new ArrayList<>();
        for (String part : option.substring(eq + 1).split(",", -1)) {
            double value;
            try {
                value = Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--world: " + knob + ": not a number: '" + part.trim() + "'");
            }
            if (values.contains(value)) {
                throw new IllegalArgumentException("--world: " + knob + " lists " + part.trim() + " twice");
            }
            values.add(value);
        }
        WorldSweep sweep = new WorldSweep(knob, List.copyOf(values));
        for (double value : values) {
            sweep.conflict(value); // refuses an out-of-range value before anything is trained
        }
        return sweep;
    }

    boolean sweeps() {
        return knob != null;
    }

    /** The worlds' conflict knobs in order: the default world alone without a sweep. */
    List<VideoWorldSpec.Conflict> conflicts() {
        return sweeps() ? values.stream().map(this::conflict).toList() : List.of(VideoWorldSpec.Conflict.defaults());
    }

    /** How a world is named in the report's setting: {knob: value}, or empty for the default world. */
    Map<String, Object> setting(int world) {
        Map<String, Object> setting = new LinkedHashMap<>();
        if (sweeps()) {
            setting.put(knob, values.get(world));
        }
        return setting;
    }

    private VideoWorldSpec.Conflict conflict(double value) {
        try {
            return switch (knob) {
                case "taskCorrelation" -> new VideoWorldSpec.Conflict(value, null, null, null);
                case "clickbait" -> new VideoWorldSpec.Conflict(null, value, null, null);
                case "clickbaitSignalNoise" -> new VideoWorldSpec.Conflict(null, 1.0, value, null);
                case "segments" ->
                    new VideoWorldSpec.Conflict(null, null, null, new VideoWorldSpec.Segments(value, null));
                default -> new VideoWorldSpec.Conflict(null, null, null, new VideoWorldSpec.Segments(0.5, value));
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--world: " + e.getMessage(), e);
        }
    }
}
