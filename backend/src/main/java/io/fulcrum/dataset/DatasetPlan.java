package io.fulcrum.dataset;

import io.fulcrum.dataset.io.BadRowPolicy;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.CsvFormat;
import io.fulcrum.dataset.io.SplitSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated dataset request: everything its import needs. For FILE datasets {@code file},
 * {@code format}, {@code preset} and {@code policy} are set ({@code columns} null means "infer"); for
 * VIDEO_SIMULATOR datasets {@code simulator} is, for SYNTHETIC ones {@code synthetic}.
 */
record DatasetPlan(
        String name,
        DatasetKind kind,
        Path file,
        CsvFormat format,
        DatasetPreset preset,
        List<ColumnSchema> columns,
        SplitSpec split,
        BadRowPolicy policy,
        SimulatorDatasetSpec simulator,
        SyntheticDatasetSpec synthetic) {}
