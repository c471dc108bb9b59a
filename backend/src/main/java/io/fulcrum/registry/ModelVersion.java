package io.fulcrum.registry;

import io.fulcrum.artifact.ArtifactRef;
import io.fulcrum.experiment.RunRecord;
import io.fulcrum.experiment.RunResult;
import io.fulcrum.experiment.RunTask;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.system.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import tools.jackson.core.type.TypeReference;

/**
 * One registered version of a model, immutable once stored: a snapshot of a SUCCEEDED run (spec,
 * tasks, metrics, lineage) and the key of the registry's own copy of its model artifact.
 */
@Entity
@Table(name = "model_version")
class ModelVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private long modelId;

    @Column(name = "version")
    private int number;

    private long runId;

    private String artifactKey;

    private long artifactSize;

    @Column(name = "artifact_sha256")
    private String artifactSha256;

    @JdbcTypeCode(SqlTypes.JSON)
    private String spec;

    @JdbcTypeCode(SqlTypes.JSON)
    private String tasks;

    private long taskGroupId;

    private long taskGroupVersion;

    private long datasetId;

    @JdbcTypeCode(SqlTypes.JSON)
    private String metrics;

    @JdbcTypeCode(SqlTypes.JSON)
    private String lineage;

    private long parameterCount;

    private String description;

    private Instant createdAt;

    private String createdBy;

    protected ModelVersion() {}

    /** Version {@code number} of the model, taken from a SUCCEEDED run whose artifact was copied to {@code copy}. */
    static ModelVersion of(
            long modelId, int number, RunRecord run, ArtifactRef copy, String description, Instant now, String actor) {
        ModelVersion v = new ModelVersion();
        v.modelId = modelId;
        v.number = number;
        v.runId = run.id();
        v.artifactKey = copy.key();
        v.artifactSize = copy.size();
        v.artifactSha256 = copy.sha256();
        v.spec = Json.MAPPER.writeValueAsString(run.spec());
        v.tasks = Json.MAPPER.writeValueAsString(run.tasks());
        v.taskGroupId = run.taskGroupId();
        v.taskGroupVersion = run.taskGroupVersion();
        v.datasetId = run.datasetId();
        v.metrics = Json.MAPPER.writeValueAsString(run.result());
        v.lineage = Json.MAPPER.writeValueAsString(Lineage.of(run));
        v.parameterCount = run.result().parameters();
        v.description = description;
        v.createdAt = now;
        v.createdBy = actor;
        return v;
    }

    ModelVersionView toView(String modelName, List<String> aliases) {
        ModelSpec modelSpec = Json.MAPPER.readValue(spec, ModelSpec.class);
        return new ModelVersionView(
                modelName,
                number,
                runId,
                description,
                aliases,
                SpecSummary.of(modelSpec, parameterCount),
                modelSpec,
                Json.MAPPER.readValue(tasks, new TypeReference<List<RunTask>>() {}),
                taskGroupId,
                taskGroupVersion,
                datasetId,
                Json.MAPPER.readValue(metrics, RunResult.class),
                Json.MAPPER.readValue(lineage, Lineage.class),
                new ModelVersionView.Artifact(artifactKey, artifactSize, artifactSha256),
                createdAt,
                createdBy);
    }

    ModelVersionSummary toSummary(List<String> aliases) {
        ModelSpec modelSpec = Json.MAPPER.readValue(spec, ModelSpec.class);
        RunResult result = Json.MAPPER.readValue(metrics, RunResult.class);
        Map<String, ModelVersionSummary.TestMetric> test = new LinkedHashMap<>();
        result.test().forEach((task, r) -> test.put(task, new ModelVersionSummary.TestMetric(r.metric(), r.value())));
        return new ModelVersionSummary(
                number,
                runId,
                description,
                aliases,
                SpecSummary.of(modelSpec, parameterCount),
                test,
                createdAt,
                createdBy);
    }

    long getModelId() {
        return modelId;
    }

    int getNumber() {
        return number;
    }

    String getArtifactKey() {
        return artifactKey;
    }

    long getArtifactSize() {
        return artifactSize;
    }

    String getArtifactSha256() {
        return artifactSha256;
    }
}
