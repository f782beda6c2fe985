package org.biogpt.spark.udfs.partition;

import java.io.Serializable;

/** Turns a task result into the value Spark stores in the output column (a Row for a struct, ...). */
@FunctionalInterface
public interface SparkValueConverter<R> extends Serializable {
    Object toSpark(R result);
}
