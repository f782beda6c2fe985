package org.biogpt.spark.core.run;

/** A row-level problem found while preparing a row's model input: the row gets this reason as its error. */
public final class RowRejected extends RuntimeException {
    public RowRejected(String reason) {
        super(reason, null, false, false);
    }
}
