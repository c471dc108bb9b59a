package io.fulcrum.dataset.io;

import java.util.List;

/**
 * What an import produced: the cache's description, how many lines it skipped, and the first
 * {@value CsvImport#REPORTED_PROBLEMS} of their problems.
 */
public record ImportReport(CacheMeta meta, long skippedLines, List<ImportProblem> problems) {}
