package io.fulcrum.dataset;

/** A stored upload, to be named in a dataset request's {@code file.uploadId}. */
public record DatasetUpload(String uploadId, String fileName, long bytes) {}
