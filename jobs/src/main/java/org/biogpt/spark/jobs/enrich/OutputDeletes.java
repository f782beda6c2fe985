package org.biogpt.spark.jobs.enrich;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Applies PubMed {@code DeleteCitation} entries of an incremental run to the output earlier runs wrote:
 * only the data files that hold a deleted PMID are rewritten (read, filter, write beside, swap), so a
 * nightly update touches a handful of files. The swap is a rename then a delete per file: a crash between
 * the two can leave the file's other rows twice, never lose them.
 */
final class OutputDeletes {
    private OutputDeletes() {
    }

    /** Removes the ids from the output and returns how many rows were removed. */
    static long apply(SparkSession spark, String output, String format, Dataset<Row> deletedIds) {
        Dataset<Row> ids = deletedIds.select(col("id").as("_deleted_id")).distinct();
        Dataset<Row> existing = EnrichJob.readIds(spark, output, format).select(col("id"), input_file_name().as("_file"));
        Dataset<Row> hits = existing.join(broadcast(ids), existing.col("id").equalTo(ids.col("_deleted_id")));
        List<Row> perFile = hits.groupBy("_file").count().collectAsList();
        long removed = 0;
        for (Row r : perFile) {
            rewriteWithout(spark, format, r.getString(0), ids);
            removed += r.getLong(1);
        }
        return removed;
    }

    private static void rewriteWithout(SparkSession spark, String format, String file, Dataset<Row> ids) {
        Path src = new Path(file);
        Path tmp = new Path(src.getParent(), "_deletes-" + UUID.randomUUID());
        Dataset<Row> kept = EnrichJob.readOutput(spark, file, format);
        kept = kept.join(broadcast(ids), kept.col("id").equalTo(ids.col("_deleted_id")), "left_anti").coalesce(1);
        if (format.equals("jsonl")) {
            kept.write().mode(SaveMode.ErrorIfExists).json(tmp.toString());
        } else {
            kept.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
        }
        try {
            FileSystem fs = src.getFileSystem(spark.sparkContext().hadoopConfiguration());
            String stem = src.getName().replaceFirst("\\..*$", "");
            for (FileStatus s : fs.listStatus(tmp)) {
                String name = s.getPath().getName();
                if (name.startsWith("part-")) {
                    Path dst = new Path(src.getParent(), stem + "-d" + UUID.randomUUID().toString().substring(0, 8)
                            + name.substring(name.indexOf('.')));
                    if (!fs.rename(s.getPath(), dst)) {
                        throw new IOException("cannot move " + s.getPath() + " to " + dst);
                    }
                }
            }
            if (!fs.delete(src, false)) {
                throw new IOException("cannot delete " + src);
            }
            fs.delete(tmp, true);
        } catch (IOException e) {
            throw new UncheckedIOException("applying DeleteCitation entries to " + file + " failed", e);
        }
    }
}
