package org.biogpt.spark.udfs.model;

/** A checkpoint could not be found, copied or loaded; the message names the path. Fails the task. */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelLoadException(String message) {
        super(message);
    }
}
