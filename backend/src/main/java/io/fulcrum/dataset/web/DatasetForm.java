package io.fulcrum.dataset.web;

import io.fulcrum.dataset.DatasetRequest;
import io.fulcrum.dataset.io.ColumnSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the import wizard binds to across its steps (source, then schema and split); converted to the
 * request the REST API takes, so both follow the same rules.
 */
public class DatasetForm {

    private String name;
    private String kind = "FILE";
    private String path;
    private String uploadId;
    private String uploadName;
    private String preset;
    private String delimiter = ",";
    private boolean header = true;
    private List<ColumnForm> columns = new ArrayList<>();
    private String splitBy = "random";
    private Long seed = 42L;
    private Double train = 0.7;
    private Double validation = 0.15;
    private Double test = 0.15;
    private String splitColumn;
    private String trainValues;
    private String validationValues;
    private String testValues;
    private String badRowPolicy = "REJECT";
    private Long maxSkipped = 1000L;
    private Long impressions = 100_000L;
    private Long worldSeed = 1L;
    private Long streamSeed = 2L;
    private Integer users;
    private Integer videos;
    private Double correlation = 0.5;
    private Long samples = 100_000L;
    private Integer dimension = 64;
    private Long generatorSeed = 1L;

    /** A generated dataset (video simulator or synthetic) has no file, preview or schema step. */
    boolean isGenerated() {
        return "VIDEO_SIMULATOR".equals(kind) || "SYNTHETIC".equals(kind);
    }

    /** A preset knows its file's layout, so the delimiter and header fields only count without one. */
    DatasetRequest.FileSource fileSource() {
        boolean hasUpload = uploadId != null && !uploadId.isBlank();
        String presetName = blankToNull(preset);
        return new DatasetRequest.FileSource(
                hasUpload ? null : path,
                hasUpload ? uploadId : null,
                presetName == null ? delimiter : null,
                presetName == null ? header : null,
                presetName);
    }

    void useColumns(List<ColumnSchema> schema) {
        columns = new ArrayList<>();
        for (ColumnSchema column : schema) {
            columns.add(new ColumnForm(column.name(), column.role().name(), String.join("|", column.positiveValues())));
        }
    }

    DatasetRequest toRequest() {
        DatasetRequest.SplitRequest split = new DatasetRequest.SplitRequest(
                splitBy,
                seed,
                train,
                validation,
                test,
                blankToNull(splitColumn),
                values(trainValues),
                values(validationValues),
                values(testValues));
        if ("VIDEO_SIMULATOR".equals(kind)) {
            return new DatasetRequest(name, kind, null, null, split, null, simulatorSpec());
        }
        if ("SYNTHETIC".equals(kind)) {
            return new DatasetRequest(name, kind, null, null, split, null, syntheticSpec());
        }
        List<DatasetRequest.ColumnRequest> columnRequests = columns.isEmpty()
                ? null
                : columns.stream()
                        .map(c -> new DatasetRequest.ColumnRequest(
                                c.getName(), c.getRole(), values(c.getPositiveValues(), "\\|")))
                        .toList();
        return new DatasetRequest(
                name,
                kind,
                fileSource(),
                columnRequests,
                split,
                new DatasetRequest.BadRowsRequest(badRowPolicy, maxSkipped),
                null);
    }

    private Map<String, Object> simulatorSpec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("impressions", impressions);
        spec.put("worldSeed", worldSeed);
        spec.put("streamSeed", streamSeed);
        Map<String, Object> population = new LinkedHashMap<>();
        if (users != null) {
            population.put("users", users);
        }
        if (videos != null) {
            population.put("videos", videos);
        }
        spec.put("world", Map.of("population", population));
        return spec;
    }

    private Map<String, Object> syntheticSpec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("correlation", correlation);
        spec.put("samples", samples);
        spec.put("dimension", dimension);
        spec.put("seed", generatorSeed);
        return spec;
    }

    private static List<String> values(String text) {
        return values(text, ",");
    }

    private static List<String> values(String text, String separator) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Arrays.stream(text.split(separator))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** Where an API field's error shows on this form. */
    static String formField(String apiField) {
        return switch (apiField) {
            case "file", "file.path", "file.uploadId" -> "path";
            case "file.preset" -> "preset";
            case "file.delimiter" -> "delimiter";
            case "split.column" -> "splitColumn";
            case "split.by" -> "splitBy";
            case "badRows.policy" -> "badRowPolicy";
            case "badRows.maxSkipped" -> "maxSkipped";
            case "spec.impressions" -> "impressions";
            case "spec.correlation" -> "correlation";
            case "spec.samples" -> "samples";
            case "spec.dimension" -> "dimension";
            case "spec.seed" -> "generatorSeed";
            case "columns", "split", "spec" -> null;
            default -> apiField.startsWith("split.") ? apiField.substring("split.".length()) : apiField;
        };
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getUploadId() {
        return uploadId;
    }

    public void setUploadId(String uploadId) {
        this.uploadId = uploadId;
    }

    public String getUploadName() {
        return uploadName;
    }

    public void setUploadName(String uploadName) {
        this.uploadName = uploadName;
    }

    public String getPreset() {
        return preset;
    }

    public void setPreset(String preset) {
        this.preset = preset;
    }

    public String getDelimiter() {
        return delimiter;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }

    public boolean isHeader() {
        return header;
    }

    public void setHeader(boolean header) {
        this.header = header;
    }

    public List<ColumnForm> getColumns() {
        return columns;
    }

    public void setColumns(List<ColumnForm> columns) {
        this.columns = columns;
    }

    public String getSplitBy() {
        return splitBy;
    }

    public void setSplitBy(String splitBy) {
        this.splitBy = splitBy;
    }

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public Double getTrain() {
        return train;
    }

    public void setTrain(Double train) {
        this.train = train;
    }

    public Double getValidation() {
        return validation;
    }

    public void setValidation(Double validation) {
        this.validation = validation;
    }

    public Double getTest() {
        return test;
    }

    public void setTest(Double test) {
        this.test = test;
    }

    public String getSplitColumn() {
        return splitColumn;
    }

    public void setSplitColumn(String splitColumn) {
        this.splitColumn = splitColumn;
    }

    public String getTrainValues() {
        return trainValues;
    }

    public void setTrainValues(String trainValues) {
        this.trainValues = trainValues;
    }

    public String getValidationValues() {
        return validationValues;
    }

    public void setValidationValues(String validationValues) {
        this.validationValues = validationValues;
    }

    public String getTestValues() {
        return testValues;
    }

    public void setTestValues(String testValues) {
        this.testValues = testValues;
    }

    public String getBadRowPolicy() {
        return badRowPolicy;
    }

    public void setBadRowPolicy(String badRowPolicy) {
        this.badRowPolicy = badRowPolicy;
    }

    public Long getMaxSkipped() {
        return maxSkipped;
    }

    public void setMaxSkipped(Long maxSkipped) {
        this.maxSkipped = maxSkipped;
    }

    public Long getImpressions() {
        return impressions;
    }

    public void setImpressions(Long impressions) {
        this.impressions = impressions;
    }

    public Long getWorldSeed() {
        return worldSeed;
    }

    public void setWorldSeed(Long worldSeed) {
        this.worldSeed = worldSeed;
    }

    public Long getStreamSeed() {
        return streamSeed;
    }

    public void setStreamSeed(Long streamSeed) {
        this.streamSeed = streamSeed;
    }

    public Integer getUsers() {
        return users;
    }

    public void setUsers(Integer users) {
        this.users = users;
    }

    public Integer getVideos() {
        return videos;
    }

    public void setVideos(Integer videos) {
        this.videos = videos;
    }

    public Double getCorrelation() {
        return correlation;
    }

    public void setCorrelation(Double correlation) {
        this.correlation = correlation;
    }

    public Long getSamples() {
        return samples;
    }

    public void setSamples(Long samples) {
        this.samples = samples;
    }

    public Integer getDimension() {
        return dimension;
    }

    public void setDimension(Integer dimension) {
        this.dimension = dimension;
    }

    public Long getGeneratorSeed() {
        return generatorSeed;
    }

    public void setGeneratorSeed(Long generatorSeed) {
        this.generatorSeed = generatorSeed;
    }
}
