package io.fulcrum.dataset;

import io.fulcrum.artifact.ArtifactStore;
import io.fulcrum.dataset.io.ColumnSchema;
import io.fulcrum.dataset.io.ColumnarCache;
import io.fulcrum.dataset.io.CsvFormat;
import io.fulcrum.dataset.io.CsvImport;
import io.fulcrum.dataset.io.DatasetProfile;
import io.fulcrum.dataset.io.FilePreview;
import io.fulcrum.dataset.io.GeneratedImport;
import io.fulcrum.dataset.io.GeneratedRows;
import io.fulcrum.dataset.io.ImportProblem;
import io.fulcrum.dataset.io.ImportRejectedException;
import io.fulcrum.dataset.io.ImportReport;
import io.fulcrum.dataset.io.Preprocessing;
import io.fulcrum.dataset.io.SplitSpec;
import io.fulcrum.dataset.io.TrainingSplits;
import io.fulcrum.mtl.model.ModelSpec;
import io.fulcrum.security.AuditLog;
import io.fulcrum.simulator.TaskConflict;
import io.fulcrum.simulator.VideoWorld;
import io.fulcrum.system.Actors;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import io.fulcrum.system.PageRequests;
import io.fulcrum.system.PageResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dataset module's façade. An import parses the file once into a columnar cache, fits the
 * preprocessing on the training split and profiles the data; only then is the dataset registered,
 * and a failure at any step leaves neither a row nor a file behind.
 */
@Service
public class DatasetManagement {

    static final String PREPROCESSING_FILE = "preprocessing.json";

    private static final Logger log = LoggerFactory.getLogger(DatasetManagement.class);

    private final DatasetRepository repository;
    private final UploadStore uploads;
    private final JsonMapper json;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Path datasetsDir;
    private final DatasetCaches caches;

    DatasetManagement(
            DatasetRepository repository,
            UploadStore uploads,
            JsonMapper json,
            AuditLog audit,
            PlatformTransactionManager transactions,
            ArtifactStore artifacts,
            @Value("${fulcrum.data-dir}") Path dataDir,
            @Value("${fulcrum.datasets.local-cache-size:20GB}") DataSize localCacheSize) {
        this.caches = new DatasetCaches(
                artifacts, dataDir.resolve("dataset-cache").toAbsolutePath().normalize(), localCacheSize.toBytes());
        this.repository = repository;
        this.uploads = uploads;
        this.json = json;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.datasetsDir = dataDir.resolve("datasets").toAbsolutePath().normalize();
    }

    @Transactional(readOnly = true)
    public PageResponse<DatasetView> list(int page, int size) {
        return PageResponse.of(
                repository.findAll(PageRequests.of(page, size, Sort.by("name").and(Sort.by("id")))), this::toView);
    }

    @Transactional(readOnly = true)
    public DatasetView get(long id) {
        return toView(find(id));
    }

    @Transactional(readOnly = true)
    public DatasetProfile profile(long id) {
        return json.readValue(find(id).getProfile(), DatasetProfile.class);
    }

    /** The first rows of the file and the schema Fulcrum would use for it. */
    public FilePreview preview(DatasetRequest.FileSource file, int rows) {
        Path path = DatasetRequestValidator.validateFile(file, uploads);
        DatasetPreset preset = file.preset() == null ? null : DatasetPreset.byApiName(file.preset());
        CsvFormat format = DatasetRequestValidator.format(file, preset);
        try {
            FilePreview preview = FilePreview.of(path, format, rows);
            if (preset == null) {
                return preview;
            }
            return new FilePreview(preview.columnNames(), preview.rows(), preset.schema(preview.columnNames()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first rows of a registered dataset as stored: numbers, and categorical values as text. */
    @Transactional(readOnly = true)
    public DatasetRows rows(long id, int count) {
        Dataset dataset = find(id);
        try {
            return DatasetRows.read(ColumnarCache.open(cacheDir(dataset)), count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The original text of every value of the named categorical columns, indexed by the id the cache
     * and a trained model's preprocessing use for it: what serving needs to read a raw value sent by a
     * client the way training read it.
     */
    @Transactional(readOnly = true)
    public Map<String, List<String>> categoricalValues(long id, List<String> columns) {
        Dataset dataset = find(id);
        try {
            ColumnarCache cache = ColumnarCache.open(cacheDir(dataset));
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (String column : columns) {
                values.put(column, cache.vocabulary(column));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The model inputs (dense columns, categorical vocabularies with their embedding widths) that
     * training on this dataset uses: what a run's model spec is built from.
     */
    @Transactional(readOnly = true)
    public ModelSpec.Inputs modelInputs(long id, int maxEmbeddingDim) {
        Dataset dataset = find(id);
        try {
            Path dir = cacheDir(dataset);
            return TrainingSplits.inputs(ColumnarCache.open(dir), readPreprocessing(dir), maxEmbeddingDim);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The dataset's train, validation and test splits, encoded with its train-only preprocessing, for
     * the given tasks. Reads the cache where the server wrote it when this node sees that directory,
     * else this node's copy of the cache's artifact (see {@link #cacheDir}).
     *
     * @param sampleWeights whether the splits carry the dataset's WEIGHT column as per-sample weights
     */
    public TrainingSplits trainingSplits(
            long id, List<TrainingSplits.TaskColumns> tasks, int maxEmbeddingDim, boolean sampleWeights) {
        Dataset dataset = find(id);
        Path dir = cacheDir(dataset);
        try {
            return TrainingSplits.load(
                    ColumnarCache.open(dir), readPreprocessing(dir), tasks, maxEmbeddingDim, sampleWeights);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The dataset's cache on this node: the directory the server wrote when it is readable here (one
     * machine, or a shared data directory), else the local copy of its artifact, fetched once and
     * checked against its hash.
     */
    private Path cacheDir(Dataset dataset) {
        Path recorded = Path.of(dataset.getCacheDir());
        if (Files.isDirectory(recorded)) {
            return recorded;
        }
        if (dataset.getCacheSha256() == null) {
            throw new IllegalStateException("dataset '" + dataset.getName() + "': its cache " + recorded
                    + " is not readable on this node and is not in the artifact store yet (the server"
                    + " publishes older datasets when it starts); restart the server or share its data directory");
        }
        return caches.local(dataset.getCacheSha256());
    }

    /**
     * Publishes the caches of datasets registered before caches went through the artifact store, so
     * that workers without the server's data directory can train on them; the server calls it at start.
     */
    public int publishUnpublishedCaches() {
        int published = 0;
        for (Dataset dataset : repository.findByCacheSha256IsNull()) {
            Path dir = Path.of(dataset.getCacheDir());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            dataset.setCacheSha256(caches.publish(dir));
            repository.save(dataset);
            published++;
        }
        return published;
    }

    private Preprocessing readPreprocessing(Path cacheDir) {
        return json.readValue(cacheDir.resolve(PREPROCESSING_FILE).toFile(), Preprocessing.class);
    }

    public DatasetUpload upload(java.io.InputStream content, String fileName) {
        try {
            return uploads.store(content, fileName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validates, imports and registers in one call: the synchronous path of {@code POST /api/datasets}. */
    public DatasetView create(DatasetRequest request) {
        return register(validate(request), request, bytes -> {}, Registrar.direct(Actors.current()));
    }

    /**
     * Who registers a dataset and how, kept from the request that asked for it because a background
     * import runs on a thread with no signed-in user.
     *
     * @param importId the background import doing it, if any
     * @param cacheName the cache directory's name under {@code <data dir>/datasets}, so that the files of
     *     an interrupted import can be found again; null for a fresh random name
     * @param onRegistered runs in the transaction that registers the dataset: a background import marks
     *     its job done there, and throwing (the job is no longer this server's) registers nothing
     */
    record Registrar(String actor, String importId, String cacheName, Consumer<DatasetView> onRegistered) {

        static Registrar direct(String actor) {
            return new Registrar(actor, null, null, dataset -> {});
        }
    }

    /** The directory a cache of this name lives in; the staging directories of its import sit beside it. */
    Path datasetsDir() {
        return datasetsDir;
    }

    /** Checks that a name is valid and free; throws with the broken rule otherwise. */
    public void checkName(String name) {
        String checked = DatasetRequestValidator.validateName(name);
        if (repository.existsByNameIgnoreCase(checked)) {
            throw nameTaken(checked);
        }
    }

    /** Checks a request, its file's existence and the name's availability; imports nothing. */
    DatasetPlan validate(DatasetRequest request) {
        DatasetPlan plan = DatasetRequestValidator.validate(request, uploads, json);
        if (repository.existsByNameIgnoreCase(plan.name())) {
            throw nameTaken(plan.name());
        }
        return plan;
    }

    /** Imports a validated request; {@code progress} hears the bytes of the file read so far. */
    DatasetView register(DatasetPlan plan, DatasetRequest request, LongConsumer progress, Registrar registrar) {
        Path cacheDir = datasetsDir.resolve(
                registrar.cacheName() == null ? UUID.randomUUID().toString() : registrar.cacheName());
        boolean registered = false;
        String published = null;
        try {
            Files.createDirectories(datasetsDir);
            List<ColumnSchema> columns;
            ImportReport report;
            Map<String, Object> source;
            if (plan.kind() == DatasetKind.FILE) {
                columns = columnsFor(plan);
                requireLabel(columns);
                report = importFile(plan, columns, cacheDir, progress);
                source = sourceOf(request.file(), plan);
            } else {
                GeneratedRows rows = plan.kind() == DatasetKind.VIDEO_SIMULATOR
                        ? new SimulatorRows(plan.simulator())
                        : new SyntheticRows(plan.synthetic());
                columns = rows.schema();
                report = GeneratedImport.run(rows, (SplitSpec.Random) plan.split(), cacheDir);
                Object spec = plan.kind() == DatasetKind.VIDEO_SIMULATOR ? plan.simulator() : plan.synthetic();
                source = json.convertValue(spec, new TypeReference<Map<String, Object>>() {});
            }
            ColumnarCache cache = ColumnarCache.open(cacheDir);
            json.writeValue(cacheDir.resolve(PREPROCESSING_FILE).toFile(), Preprocessing.fit(cache));
            // the cache is complete: what workers without this data directory fetch
            published = caches.publish(cacheDir);
            Dataset dataset = new Dataset(
                    plan.name(),
                    plan.kind(),
                    json.writeValueAsString(source),
                    json.writeValueAsString(columns),
                    json.writeValueAsString(plan.split()),
                    report.meta().splitRows(),
                    report.skippedLines(),
                    json.writeValueAsString(report.problems()),
                    json.writeValueAsString(profile(plan, cache)),
                    cacheDir.toString(),
                    Instant.now());
            dataset.setCacheSha256(published);
            // The long import above runs outside any transaction; only the row and its audit entry share one.
            DatasetView view = transaction.execute(status -> {
                DatasetView saved = toView(repository.saveAndFlush(dataset));
                audit.recordAs(
                        registrar.actor(),
                        "dataset.create",
                        target(saved.id()),
                        registrar.importId() == null ? null : "background import " + registrar.importId(),
                        null,
                        snapshot(saved));
                registrar.onRegistered().accept(saved);
                return saved;
            });
            log.info(
                    "Registered {} dataset '{}': {} rows, {} lines skipped",
                    plan.kind(),
                    plan.name(),
                    view.rows(),
                    view.skippedLines());
            registered = true;
            return view;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(plan.name());
        } finally {
            if (!registered) {
                FileSystemUtils.deleteRecursively(cacheDir.toFile());
                if (published != null && repository.countByCacheSha256(published) == 0) {
                    caches.unpublish(published);
                }
            }
        }
    }

    @Transactional
    public void delete(long id) {
        Dataset dataset = find(id);
        try {
            repository.delete(dataset);
            repository.flush();
        } catch (DataIntegrityViolationException e) {
            throw new ConflictException("Dataset '" + dataset.getName() + "' is still used and cannot be deleted");
        }
        audit.record("dataset.delete", target(id), dataset.getName(), snapshot(toView(dataset)), null);
        FileSystemUtils.deleteRecursively(Path.of(dataset.getCacheDir()).toFile());
        // the same content registered twice shares one artifact
        if (dataset.getCacheSha256() != null && repository.countByCacheSha256(dataset.getCacheSha256()) == 0) {
            caches.unpublish(dataset.getCacheSha256());
        }
    }

    private ImportReport importFile(DatasetPlan plan, List<ColumnSchema> columns, Path cacheDir, LongConsumer progress)
            throws IOException {
        try {
            return new CsvImport(columns, plan.format(), plan.split(), plan.policy())
                    .run(plan.file(), cacheDir, progress);
        } catch (ImportRejectedException e) {
            List<FieldViolation> violations = new ArrayList<>();
            violations.add(new FieldViolation("file", "importable", e.getMessage()));
            for (ImportProblem problem : e.problems()) {
                violations.add(new FieldViolation("file", "parsable-line", problem.toString()));
            }
            throw new InvalidInputException(violations);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(new FieldViolation("split.column", "known-column", e.getMessage()));
        }
    }

    private static void requireLabel(List<ColumnSchema> columns) {
        if (columns.stream().noneMatch(c -> c.role() == io.fulcrum.dataset.io.ColumnRole.LABEL)) {
            throw new InvalidInputException(new FieldViolation(
                    "columns",
                    "has-label",
                    "no column looks like a label; give the columns with their roles (preview the file to see them)"));
        }
    }

    /** Given columns win; else the preset's; else what the first rows suggest. */
    private List<ColumnSchema> columnsFor(DatasetPlan plan) {
        if (plan.columns() != null) {
            return plan.columns();
        }
        try {
            FilePreview preview = FilePreview.of(plan.file(), plan.format(), 0);
            return plan.preset() != null ? plan.preset().schema(preview.columnNames()) : preview.inferredSchema();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> sourceOf(DatasetRequest.FileSource file, DatasetPlan plan) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("path", plan.file().toAbsolutePath().toString());
        if (file.uploadId() != null) {
            source.put("uploadId", file.uploadId());
        }
        source.put("delimiter", String.valueOf(plan.format().delimiter()));
        source.put("header", plan.format().header());
        if (plan.preset() != null) {
            source.put("preset", plan.preset().apiName());
        }
        source.put("badRows", plan.policy());
        return source;
    }

    private static String target(long id) {
        return "dataset/" + id;
    }

    /** What the audit log keeps of a dataset: enough to recognise it, not its schema or problems. */
    static Map<String, Object> snapshot(DatasetView dataset) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", dataset.id());
        snapshot.put("name", dataset.name());
        snapshot.put("kind", dataset.kind());
        snapshot.put("rows", dataset.rows());
        snapshot.put("skippedLines", dataset.skippedLines());
        return snapshot;
    }

    private Dataset find(long id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("Dataset", id));
    }

    private DatasetView toView(Dataset dataset) {
        return new DatasetView(
                dataset.getId(),
                dataset.getName(),
                dataset.getKind(),
                json.readValue(dataset.getSource(), new TypeReference<Map<String, Object>>() {}),
                json.readValue(dataset.getColumns(), new TypeReference<List<ColumnSchema>>() {}),
                json.readValue(dataset.getSplit(), SplitSpec.class),
                dataset.getRows(),
                dataset.getTrainRows(),
                dataset.getValidationRows(),
                dataset.getTestRows(),
                dataset.getSkippedLines(),
                json.readValue(dataset.getImportProblems(), new TypeReference<List<ImportProblem>>() {}),
                dataset.getCreatedAt());
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException(
                "A dataset named '" + name + "' already exists",
                List.of(new FieldViolation("name", "unique", "is already the name of another dataset")));
    }

    /** The cache's profile; for a simulated dataset with the labels' conflict in the world's ground truth. */
    private static DatasetProfile profile(DatasetPlan plan, ColumnarCache cache) throws IOException {
        DatasetProfile profile = DatasetProfile.of(cache);
        if (plan.kind() != DatasetKind.VIDEO_SIMULATOR) {
            return profile;
        }
        SimulatorDatasetSpec spec = plan.simulator();
        VideoWorld world = VideoWorld.build(spec.world(), spec.worldSeed());
        return profile.withTaskConflict(TaskConflict.measure(world, CONFLICT_LABELS, spec.worldSeed()));
    }

    /** The labels whose pairwise conflict a simulated dataset's profile reports. */
    static final List<String> CONFLICT_LABELS = List.of("click", "valid_view", "completion_ratio", "share", "comment");
}
