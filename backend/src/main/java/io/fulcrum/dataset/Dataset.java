package io.fulcrum.dataset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered dataset: its description in PostgreSQL, its samples in {@link #cacheDir}. */
@Entity
@Table(name = "dataset")
class Dataset {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    @Enumerated(EnumType.STRING)
    private DatasetKind kind;

    @JdbcTypeCode(SqlTypes.JSON)
    private String source;

    @JdbcTypeCode(SqlTypes.JSON)
    private String columns;

    @JdbcTypeCode(SqlTypes.JSON)
    private String split;

    @Column(name = "row_count")
    private long rows;

    private long trainRows;

    private long validationRows;

    private long testRows;

    private long skippedLines;

    @JdbcTypeCode(SqlTypes.JSON)
    private String importProblems;

    @JdbcTypeCode(SqlTypes.JSON)
    private String profile;

    private String cacheDir;

    /** The content hash of the cache, which names its artifact; null until published. */
    private String cacheSha256;

    @Version
    private long version;

    private Instant createdAt;

    protected Dataset() {}

    Dataset(
            String name,
            DatasetKind kind,
            String source,
            String columns,
            String split,
            long[] splitRows,
            long skippedLines,
            String importProblems,
            String profile,
            String cacheDir,
            Instant createdAt) {
        this.name = name;
        this.kind = kind;
        this.source = source;
        this.columns = columns;
        this.split = split;
        this.trainRows = splitRows[0];
        this.validationRows = splitRows[1];
        this.testRows = splitRows[2];
        this.rows = trainRows + validationRows + testRows;
        this.skippedLines = skippedLines;
        this.importProblems = importProblems;
        this.profile = profile;
        this.cacheDir = cacheDir;
        this.createdAt = createdAt;
    }

    Long getId() {
        return id;
    }

    String getName() {
        return name;
    }

    DatasetKind getKind() {
        return kind;
    }

    String getSource() {
        return source;
    }

    String getColumns() {
        return columns;
    }

    String getSplit() {
        return split;
    }

    long getRows() {
        return rows;
    }

    long getTrainRows() {
        return trainRows;
    }

    long getValidationRows() {
        return validationRows;
    }

    long getTestRows() {
        return testRows;
    }

    long getSkippedLines() {
        return skippedLines;
    }

    String getImportProblems() {
        return importProblems;
    }

    String getProfile() {
        return profile;
    }

    String getCacheDir() {
        return cacheDir;
    }

    String getCacheSha256() {
        return cacheSha256;
    }

    void setCacheSha256(String cacheSha256) {
        this.cacheSha256 = cacheSha256;
    }

    Instant getCreatedAt() {
        return createdAt;
    }
}
