package org.biogpt.spark.jobs.enrich;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Counts the documents a write job writes, as they pass into the writer, with an accumulator: the
 * count is the last step of the write's own tasks, and Spark merges an accumulator of a result task
 * once per partition and only from a task that succeeded (a failed or commit-denied attempt adds
 * nothing), so after the job it equals the rows committed, with no reading back of the output (which
 * cannot even infer a schema when nothing was written). While tasks run, their partial counts reach
 * the driver with executor heartbeats, which is what {@link ProgressReporter} shows.
 */
final class WrittenRows implements Serializable {
    private final LongAccumulator counter;

    private WrittenRows(LongAccumulator counter) {
        this.counter = counter;
    }

    static WrittenRows register(SparkSession spark) {
        return new WrittenRows(spark.sparkContext().longAccumulator("biogpt documents written"));
    }

    /** The same rows, each counted as the writer takes it. */
    Dataset<Row> counted(Dataset<Row> rows) {
        LongAccumulator c = counter;
        return rows.mapPartitions((MapPartitionsFunction<Row, Row>) it -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Row next() {
                Row r = it.next();
                c.add(1);
                return r;
            }
        }, Encoders.row(rows.schema()));
    }

    /** Rows written by the write jobs that finished so far. */
    long value() {
        return counter.value();
    }

    /** The accumulator's id, as task metrics and heartbeats name it. */
    long id() {
        return counter.id();
    }
}
