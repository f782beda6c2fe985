package org.biogpt.spark.core.checkpoint;

/** A checkpoint directory or file that cannot be used, with a message naming the file or tensor. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
