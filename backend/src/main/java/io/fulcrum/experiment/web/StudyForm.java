package io.fulcrum.experiment.web;

import io.fulcrum.experiment.ModelRequest;
import io.fulcrum.experiment.ResourceRequest;
import io.fulcrum.experiment.StudyRequest;
import io.fulcrum.experiment.TrainingSettings;
import io.fulcrum.system.FieldViolation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What the new-study page binds to: a fixed number of model rows (empty ones are ignored), seeds
 * and labels as comma-separated text; converted to the same request the REST API takes.
 */
public class StudyForm {

    static final int MODEL_ROWS = 4;

    private String name;
    private Long taskGroupId;
    private Long datasetId;
    private List<ModelForm> models = new ArrayList<>();
    private String seeds = "1, 2, 3";
    private Long scheduleId;
    private String device = "cpu";
    private Integer gpuCount;
    private String workerLabels;
    private Integer epochs = 5;
    private Integer batchSize = 1024;
    private Double learningRate = 0.001;
    /** "on", "off", or blank for the dataset's default (on where it has a WEIGHT column). */
    private String useSampleWeights;
    /** "on" to scale every model to the same parameter count, blank to train them as specified. */
    private String matchParameters;

    private Long parameterBudget;

    static StudyForm blank() {
        StudyForm form = new StudyForm();
        form.padModels();
        form.models.get(0).setArchitecture("mmoe");
        form.models.get(1).setArchitecture("ple");
        form.models.get(1).setLevels(2);
        return form;
    }

    /** Always at least {@link #MODEL_ROWS} rows to fill in. */
    void padModels() {
        while (models.size() < MODEL_ROWS) {
            models.add(new ModelForm());
        }
    }

    /** The form rows that hold a model, in the order the request lists them. */
    List<Integer> filledRows() {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i) != null && !models.get(i).isEmpty()) {
                rows.add(i);
            }
        }
        return rows;
    }

    /** The API request; text that does not parse is added to {@code violations} under the form's field names. */
    StudyRequest toRequest(List<FieldViolation> violations) {
        List<ModelRequest> requests = new ArrayList<>();
        for (int row : filledRows()) {
            requests.add(models.get(row).toRequest("models[" + row + "]", violations));
        }
        List<Long> seedList = numbers(seeds, "seeds", violations, Long::valueOf);
        List<String> labels = workerLabels == null || workerLabels.isBlank()
                ? null
                : Arrays.stream(workerLabels.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
        return new StudyRequest(
                name,
                taskGroupId,
                datasetId,
                requests,
                seedList,
                new TrainingSettings(
                        epochs,
                        batchSize,
                        learningRate,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        sampleWeights(violations)),
                scheduleId,
                null,
                new ResourceRequest(device, gpuCount, labels),
                null,
                matchParameters(violations),
                parameterBudget);
    }

    /** Comma-separated numbers; null when blank, a violation when one does not parse. */
    static <T> List<T> numbers(String text, String field, List<FieldViolation> violations, Function<String, T> parse) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<T> values = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                values.add(parse.apply(part.strip()));
            } catch (NumberFormatException e) {
                violations.add(new FieldViolation(field, "format", "must be whole numbers separated by commas"));
                return null;
            }
        }
        return values;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Long getTaskGroupId() {
        return taskGroupId;
    }

    public void setTaskGroupId(Long taskGroupId) {
        this.taskGroupId = taskGroupId;
    }

    public Long getDatasetId() {
        return datasetId;
    }

    public void setDatasetId(Long datasetId) {
        this.datasetId = datasetId;
    }

    public List<ModelForm> getModels() {
        return models;
    }

    public void setModels(List<ModelForm> models) {
        this.models = models;
    }

    public String getSeeds() {
        return seeds;
    }

    public void setSeeds(String seeds) {
        this.seeds = seeds;
    }

    public Long getScheduleId() {
        return scheduleId;
    }

    public void setScheduleId(Long scheduleId) {
        this.scheduleId = scheduleId;
    }

    public String getDevice() {
        return device;
    }

    public void setDevice(String device) {
        this.device = device;
    }

    public Integer getGpuCount() {
        return gpuCount;
    }

    public void setGpuCount(Integer gpuCount) {
        this.gpuCount = gpuCount;
    }

    public String getWorkerLabels() {
        return workerLabels;
    }

    public void setWorkerLabels(String workerLabels) {
        this.workerLabels = workerLabels;
    }

    public Integer getEpochs() {
        return epochs;
    }

    public void setEpochs(Integer epochs) {
        this.epochs = epochs;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public Double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(Double learningRate) {
        this.learningRate = learningRate;
    }

    private Boolean sampleWeights(List<FieldViolation> violations) {
        if (useSampleWeights == null || useSampleWeights.isBlank()) {
            return null;
        }
        if (!useSampleWeights.equals("on") && !useSampleWeights.equals("off")) {
            violations.add(new FieldViolation("useSampleWeights", "one-of", "must be on, off or blank"));
            return null;
        }
        return useSampleWeights.equals("on");
    }

    public String getUseSampleWeights() {
        return useSampleWeights;
    }

    public void setUseSampleWeights(String useSampleWeights) {
        this.useSampleWeights = useSampleWeights;
    }

    private Boolean matchParameters(List<FieldViolation> violations) {
        if (matchParameters == null || matchParameters.isBlank()) {
            return null;
        }
        if (!matchParameters.equals("on")) {
            violations.add(new FieldViolation("matchParameters", "one-of", "must be on or blank"));
            return null;
        }
        return true;
    }

    public String getMatchParameters() {
        return matchParameters;
    }

    public void setMatchParameters(String matchParameters) {
        this.matchParameters = matchParameters;
    }

    public Long getParameterBudget() {
        return parameterBudget;
    }

    public void setParameterBudget(Long parameterBudget) {
        this.parameterBudget = parameterBudget;
    }
}
