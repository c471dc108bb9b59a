package io.fulcrum.mtl.train;

/**
 * A training checkpoint directory that cannot be resumed from: incomplete (a write or copy was cut
 * short), altered, or written in another format. The message names the directory and the file.
 */
public final class InvalidCheckpointException extends RuntimeException {

    public InvalidCheckpointException(String message) {
        super(message);
    }

    public InvalidCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
