package io.fulcrum.rollout;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fulcrum.system.Json;
import java.time.Duration;

/**
 * How an experiment is analysed, as stored with it (one JSON column): the analysis, the correction
 * across metrics, CUPED's pre-exposure window (P0D turns CUPED off) and the planned users per
 * variant (null: none planned), which tunes the sequential intervals and tells a reader whether the
 * planned sample has been reached.
 */
public record AnalysisPlan(String analysis, String correction, String preExposure, Long plannedUsersPerVariant) {

    public static final String DEFAULT_PRE_EXPOSURE = "P14D";
    public static final Duration MAX_PRE_EXPOSURE = Duration.ofDays(90);

    /** What experiments stored before these settings existed are read as. */
    public static final AnalysisPlan LEGACY =
            new AnalysisPlan(Analysis.FIXED.wire(), Correction.NONE.wire(), DEFAULT_PRE_EXPOSURE, null);

    @JsonIgnore
    public Analysis analysisKind() {
        return Analysis.fromWire(analysis).orElse(Analysis.FIXED);
    }

    @JsonIgnore
    public Correction correctionKind() {
        return Correction.fromWire(correction).orElse(Correction.NONE);
    }

    @JsonIgnore
    public Duration preExposureWindow() {
        return Duration.parse(preExposure);
    }

    /** The size the sequential intervals are tightest at: users of the two compared variants. */
    @JsonIgnore
    public long plannedComparisonUsers() {
        return plannedUsersPerVariant == null ? SequentialTest.DEFAULT_PLANNED_USERS : 2 * plannedUsersPerVariant;
    }

    static AnalysisPlan of(String json) {
        return json == null ? LEGACY : Json.MAPPER.readValue(json, AnalysisPlan.class);
    }
}
