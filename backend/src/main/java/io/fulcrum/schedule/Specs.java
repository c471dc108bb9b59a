package io.fulcrum.schedule;

import io.fulcrum.mtl.loss.LossWeightSpec;
import io.fulcrum.mtl.loss.ScheduleUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the API says about a spec beyond its JSON: its type name, its unit, its per-task arrays. */
final class Specs {

    static final List<String> TYPES = List.of("constant", "exponential", "warmup", "piecewise", "dwa", "uncertainty");

    private Specs() {}

    static String type(LossWeightSpec spec) {
        if (spec instanceof LossWeightSpec.Constant) {
            return "constant";
        } else if (spec instanceof LossWeightSpec.Exponential) {
            return "exponential";
        } else if (spec instanceof LossWeightSpec.Warmup) {
            return "warmup";
        } else if (spec instanceof LossWeightSpec.Piecewise) {
            return "piecewise";
        } else if (spec instanceof LossWeightSpec.Dwa) {
            return "dwa";
        }
        return "uncertainty";
    }

    /**
     * What t counts for this spec, with the engine's defaults: warmup counts steps, exponential and
     * piecewise count epochs; constant, DWA (which changes once per epoch) and uncertainty have no
     * unit of their own and are reported per epoch.
     */
    static ScheduleUnit unit(LossWeightSpec spec) {
        if (spec instanceof LossWeightSpec.Exponential e && e.unit() != null) {
            return e.unit();
        } else if (spec instanceof LossWeightSpec.Warmup w) {
            return w.unit() == null ? ScheduleUnit.STEP : w.unit();
        } else if (spec instanceof LossWeightSpec.Piecewise p && p.unit() != null) {
            return p.unit();
        }
        return ScheduleUnit.EPOCH;
    }

    static String unitName(ScheduleUnit unit) {
        return unit.name().toLowerCase(Locale.ROOT);
    }

    /** Every array of the spec that must have one entry per task, by its field path. */
    static Map<String, Integer> perTaskLengths(LossWeightSpec spec) {
        Map<String, Integer> lengths = new LinkedHashMap<>();
        if (spec instanceof LossWeightSpec.Constant c) {
            put(lengths, "spec.weights", c.weights());
        } else if (spec instanceof LossWeightSpec.Exponential e) {
            put(lengths, "spec.initial", e.initial());
            put(lengths, "spec.gamma", e.gamma());
        } else if (spec instanceof LossWeightSpec.Warmup w) {
            put(lengths, "spec.start", w.start());
            put(lengths, "spec.target", w.target());
        } else if (spec instanceof LossWeightSpec.Piecewise p && p.values() != null) {
            for (int i = 0; i < p.values().length; i++) {
                put(lengths, "spec.values[" + i + "]", p.values()[i]);
            }
        }
        return lengths;
    }

    private static void put(Map<String, Integer> lengths, String field, float[] values) {
        if (values != null) {
            lengths.put(field, values.length);
        }
    }
}
