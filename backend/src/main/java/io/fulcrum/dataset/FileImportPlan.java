package io.fulcrum.dataset;

import io.fulcrum.dataset.io.BadRowPolicy;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.CsvFormat;
import io.fulcrum.dataset.io.SplitSpec;
import java.nio.file.Path;
import java.util.List;

/** A validated FILE dataset request: everything an import needs. {@code columns} null means "infer". */
record FileImportPlan(
        String name,
        Path file,
        CsvFormat format,
        DatasetPreset preset,
        List<ColumnSchema> columns,
        SplitSpec split,
        BadRowPolicy policy) {}
