package org.biogpt.spark.pipeline;

import org.apache.spark.sql.types.DataType;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.udfs.partition.SparkValueConverter;

/** What a concrete stage contributes: the core call, how its result is stored, and the column type. */
record StageTask<R>(ModelTask<R> task, SparkValueConverter<R> converter, DataType outputType) {
}
