package io.fulcrum.dataset;

import io.fulcrum.dataset.io.BadRowPolicy;
import io.fulcrum.dataset.io.ColumnRole;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.CsvFormat;
import io.fulcrum.dataset.io.SplitSpec;
import io.fulcrum.system.EnumNames;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/** Checks a {@link DatasetRequest} in one pass, reporting every broken rule with its field. */
final class DatasetRequestValidator {

    private final List<FieldViolation> violations = new ArrayList<>();
    private final UploadStore uploads;
    private final JsonMapper json;

    private DatasetRequestValidator(UploadStore uploads, JsonMapper json) {
        this.uploads = uploads;
        this.json = json;
    }

    static DatasetPlan validate(DatasetRequest request, UploadStore uploads, JsonMapper json) {
        return new DatasetRequestValidator(uploads, json).check(request);
    }

    /** Only the file part, for previews. */
    static Path validateFile(DatasetRequest.FileSource file, UploadStore uploads) {
        DatasetRequestValidator validator = new DatasetRequestValidator(uploads, null);
        Path path = validator.file(file);
        if (file != null) {
            validator.checkedFormat(file, validator.preset(file.preset()));
        }
        validator.throwIfInvalid();
        return path;
    }

    static CsvFormat format(DatasetRequest.FileSource file, DatasetPreset preset) {
        CsvFormat base = preset == null ? CsvFormat.COMMA_WITH_HEADER : preset.format();
        char delimiter = file.delimiter() == null ? base.delimiter() : delimiterOf(file.delimiter());
        return new CsvFormat(delimiter, file.header() == null ? base.header() : file.header());
    }

    /** Only the name, for the first step of the import wizard. */
    static String validateName(String name) {
        DatasetRequestValidator validator = new DatasetRequestValidator(null, null);
        String checked = validator.name(name);
        validator.throwIfInvalid();
        return checked;
    }

    private String name(String value) {
        String name = value == null ? null : value.strip();
        if (name == null || name.isEmpty()) {
            violations.add(new FieldViolation("name", "required", "must not be blank"));
        } else if (name.length() > 100) {
            violations.add(new FieldViolation("name", "max-length", "must be at most 100 characters"));
        }
        return name;
    }

    private DatasetPlan check(DatasetRequest request) {
        String name = name(request.name());
        DatasetKind kind = kind(request.kind());
        Path path = null;
        DatasetPreset preset = null;
        CsvFormat format = null;
        if (kind == DatasetKind.FILE) {
            path = file(request.file());
            if (request.file() != null) {
                preset = preset(request.file().preset());
                format = checkedFormat(request.file(), preset);
            }
        }
        SimulatorDatasetSpec simulator = null;
        SyntheticDatasetSpec synthetic = null;
        if (kind == DatasetKind.VIDEO_SIMULATOR) {
            simulator = simulatorSpec(request.spec());
        } else if (kind == DatasetKind.SYNTHETIC) {
            synthetic = syntheticSpec(request.spec());
        }
        if (kind != null && kind != DatasetKind.FILE && request.columns() != null) {
            violations.add(new FieldViolation("columns", "not-allowed", "a generator defines its own columns"));
        }
        List<ColumnSchema> columns = kind == DatasetKind.FILE ? columns(request.columns()) : null;
        SplitSpec split = split(request.split(), columns);
        if (kind != null && kind != DatasetKind.FILE && split instanceof SplitSpec.ByColumn) {
            violations.add(new FieldViolation("split.by", "random-only", "generated datasets are split at random"));
        }
        BadRowPolicy policy = badRows(request.badRows());
        throwIfInvalid();
        return new DatasetPlan(name, kind, path, format, preset, columns, split, policy, simulator, synthetic);
    }

    private void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
    }

    private DatasetKind kind(String value) {
        if (value == null || value.isBlank()) {
            violations.add(new FieldViolation("kind", "required", "must be one of " + names(DatasetKind.values())));
            return null;
        }
        DatasetKind kind = EnumNames.lenient(DatasetKind.class, value);
        if (kind == null) {
            violations.add(new FieldViolation(
                    "kind", "one-of", "must be one of " + names(DatasetKind.values()) + ", was '" + value + "'"));
        }
        return kind;
    }

    private Path file(DatasetRequest.FileSource file) {
        if (file == null) {
            violations.add(new FieldViolation("file", "required", "must say where the file is"));
            return null;
        }
        boolean hasPath = file.path() != null && !file.path().isBlank();
        boolean hasUpload = file.uploadId() != null && !file.uploadId().isBlank();
        if (hasPath == hasUpload) {
            violations.add(new FieldViolation("file", "exactly-one", "must give either a path or an uploadId"));
            return null;
        }
        if (hasUpload) {
            Path uploaded = uploads.find(file.uploadId().strip());
            if (uploaded == null) {
                violations.add(new FieldViolation("file.uploadId", "known-upload", "names no upload"));
            }
            return uploaded;
        }
        return uploads.importable(file.path().strip(), "file.path", violations);
    }

    /** The generator's spec, or null with a violation when it does not convert. */
    private <T> T spec(java.util.Map<String, Object> spec, Class<T> type) {
        try {
            return json.convertValue(spec == null ? java.util.Map.of() : spec, type);
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            violations.add(new FieldViolation("spec", "valid-spec", String.valueOf(cause.getMessage())));
            return null;
        }
    }

    private SyntheticDatasetSpec syntheticSpec(java.util.Map<String, Object> spec) {
        SyntheticDatasetSpec parsed = spec(spec, SyntheticDatasetSpec.class);
        if (parsed == null) {
            return null;
        }
        if (parsed.correlation() == null || !(parsed.correlation() >= -1 && parsed.correlation() <= 1)) {
            violations.add(new FieldViolation("spec.correlation", "range", "must be given, between -1 and 1"));
        }
        if (parsed.samples() == null || parsed.samples() < 1 || parsed.samples() > SyntheticDatasetSpec.MAX_SAMPLES) {
            violations.add(new FieldViolation(
                    "spec.samples", "range", "must be given, between 1 and " + SyntheticDatasetSpec.MAX_SAMPLES));
        }
        if (parsed.dimension() < 2 || parsed.dimension() > 4096) {
            violations.add(new FieldViolation("spec.dimension", "range", "must be between 2 and 4096"));
        }
        if (parsed.sinTerms() < 0 || parsed.noiseStd() < 0 || parsed.scale() <= 0) {
            violations.add(new FieldViolation(
                    "spec", "valid-spec", "sinTerms and noiseStd must be at least 0, scale greater than 0"));
        }
        return parsed;
    }

    private SimulatorDatasetSpec simulatorSpec(java.util.Map<String, Object> spec) {
        SimulatorDatasetSpec parsed = spec(spec, SimulatorDatasetSpec.class);
        if (parsed == null) {
            return null;
        }
        if (parsed.impressions() < 1 || parsed.impressions() > SimulatorDatasetSpec.MAX_IMPRESSIONS) {
            violations.add(new FieldViolation(
                    "spec.impressions", "range", "must be between 1 and " + SimulatorDatasetSpec.MAX_IMPRESSIONS));
        }
        return parsed;
    }

    private DatasetPreset preset(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        DatasetPreset preset = DatasetPreset.byApiName(value);
        if (preset == null) {
            violations.add(new FieldViolation(
                    "file.preset",
                    "one-of",
                    "must be one of " + String.join(", ", DatasetPreset.apiNames()) + ", was '" + value + "'"));
        }
        return preset;
    }

    private CsvFormat checkedFormat(DatasetRequest.FileSource file, DatasetPreset preset) {
        if (file.delimiter() != null && delimiterOf(file.delimiter()) == 0) {
            violations.add(new FieldViolation(
                    "file.delimiter", "single-character", "must be one character, or \\t for a tab"));
            return null;
        }
        return format(file, preset);
    }

    /** 0 when the text names no single delimiter. */
    private static char delimiterOf(String text) {
        if (text.equals("\\t") || text.equalsIgnoreCase("tab")) {
            return '\t';
        }
        return text.length() == 1 ? text.charAt(0) : 0;
    }

    private List<ColumnSchema> columns(List<DatasetRequest.ColumnRequest> requested) {
        if (requested == null) {
            return null;
        }
        List<ColumnSchema> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean hasLabel = false;
        String weightColumn = null;
        for (int i = 0; i < requested.size(); i++) {
            String path = "columns[" + i + "]";
            DatasetRequest.ColumnRequest column = requested.get(i);
            if (column == null) {
                violations.add(new FieldViolation(path, "required", "must be a column object"));
                continue;
            }
            String name = column.name() == null ? "" : column.name().strip();
            if (name.isEmpty()) {
                violations.add(new FieldViolation(path + ".name", "required", "must not be blank"));
            } else if (!seen.add(name)) {
                violations.add(new FieldViolation(path + ".name", "unique", "'" + name + "' names an earlier column"));
            }
            ColumnRole role = role(path + ".role", column.role());
            hasLabel |= role == ColumnRole.LABEL;
            if (role == ColumnRole.WEIGHT) {
                if (weightColumn != null) {
                    violations.add(new FieldViolation(
                            path + ".role",
                            "one-weight",
                            "'" + weightColumn + "' is already the WEIGHT column; a sample has one weight"));
                }
                weightColumn = name;
            }
            if (column.positiveValues() != null && !column.positiveValues().isEmpty() && role != ColumnRole.LABEL) {
                violations.add(new FieldViolation(
                        path + ".positiveValues", "label-only", "only a LABEL column can have positive values"));
            }
            columns.add(new ColumnSchema(name, role, column.positiveValues()));
        }
        if (!hasLabel) {
            violations.add(new FieldViolation("columns", "has-label", "must contain at least one LABEL column"));
        }
        return columns;
    }

    private ColumnRole role(String field, String value) {
        ColumnRole role = EnumNames.lenient(ColumnRole.class, value);
        if (role == null) {
            violations.add(new FieldViolation(field, "one-of", "must be one of " + names(ColumnRole.values())));
        }
        return role;
    }

    private SplitSpec split(DatasetRequest.SplitRequest split, List<ColumnSchema> columns) {
        if (split == null) {
            return SplitSpec.Random.DEFAULT;
        }
        String by = split.by() == null ? "random" : split.by().strip().toLowerCase(Locale.ROOT);
        if (by.equals("random")) {
            double train = fraction("split.train", split.train(), 0.7);
            double validation = fraction("split.validation", split.validation(), 0.15);
            double test = fraction("split.test", split.test(), 0.15);
            if (train <= 0 || test <= 0) {
                violations.add(new FieldViolation("split", "non-empty", "train and test must both get a share"));
            }
            return new SplitSpec.Random(split.seed() == null ? 42 : split.seed(), train, validation, test);
        }
        if (by.equals("column")) {
            if (split.column() == null || split.column().isBlank()) {
                violations.add(new FieldViolation("split.column", "required", "must name the column that decides"));
            } else if (columns != null
                    && columns.stream().noneMatch(c -> c.name().equals(split.column()))) {
                violations.add(new FieldViolation("split.column", "known-column", "is not one of the columns"));
            }
            if (split.trainValues() == null || split.trainValues().isEmpty()) {
                violations.add(new FieldViolation("split.trainValues", "required", "must list at least one value"));
            }
            if (split.testValues() == null || split.testValues().isEmpty()) {
                violations.add(new FieldViolation("split.testValues", "required", "must list at least one value"));
            }
            return new SplitSpec.ByColumn(
                    split.column(), split.trainValues(), split.validationValues(), split.testValues());
        }
        violations.add(new FieldViolation("split.by", "one-of", "must be random or column"));
        return null;
    }

    private double fraction(String field, Double value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= 0 && value <= 1)) {
            violations.add(new FieldViolation(field, "range", "must be between 0 and 1"));
        }
        return value;
    }

    private BadRowPolicy badRows(DatasetRequest.BadRowsRequest badRows) {
        if (badRows == null || badRows.policy() == null) {
            return BadRowPolicy.REJECT;
        }
        BadRowPolicy.Mode mode = EnumNames.lenient(BadRowPolicy.Mode.class, badRows.policy());
        if (mode == null) {
            violations.add(new FieldViolation("badRows.policy", "one-of", "must be REJECT or SKIP"));
            return null;
        }
        long max = badRows.maxSkipped() == null ? 1000 : badRows.maxSkipped();
        if (max < 0) {
            violations.add(new FieldViolation("badRows.maxSkipped", "min", "must be at least 0"));
        }
        return mode == BadRowPolicy.Mode.REJECT ? BadRowPolicy.REJECT : BadRowPolicy.skipUpTo(max);
    }

    private static String names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", "));
    }
}
