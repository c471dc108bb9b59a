package io.fulcrum.dataset;

/**
 * A stored upload, to be named in a dataset request's {@code file.uploadId}.
 *
 * @param uploadId the generated id the file is stored under
 * @param fileName the client's file name without directories, for display only: it is never part of a path
 * @param bytes the size of the stored file
 */
public record DatasetUpload(String uploadId, String fileName, long bytes) {}
