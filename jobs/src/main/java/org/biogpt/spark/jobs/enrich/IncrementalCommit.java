package org.biogpt.spark.jobs.enrich;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

/**
 * The commit protocol of {@code enrich --mode incremental}, safe against a driver that dies at any point.
 *
 * <p>Each batch is written by Spark into its own folder {@code <output>/_staging/<run>-b<n>} and, once
 * that write job has committed, its data files are renamed into {@code <output>} one by one. A file is
 * therefore either fully in the output or not at all; a crash leaves at most some batches (or some
 * files of one batch) committed, and the re-run skips exactly the ids in those files. Spark's own
 * {@code Append} into the output would not be safe: a killed driver leaves {@code _temporary/0/task_*}
 * folders that the next run's job commit merges into the output as data (duplicates), and an output
 * folder holding only {@code _temporary} cannot be read back at all.
 */
final class IncrementalCommit {
    static final String STAGING = "_staging";

    private IncrementalCommit() {
    }

    /** Drops what a crashed run left uncommitted: staged batches and Spark's temporary job folders. */
    static void recover(SparkSession spark, String output) {
        Path out = new Path(output);
        FileSystem fs = fs(spark, out);
        for (Path p : new Path[] {new Path(out, STAGING), new Path(out, "_temporary"),
            new Path(new Path(out, "_quarantine"), "_temporary")}) {
            try {
                if (fs.exists(p)) {
                    fs.delete(p, true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove leftovers of an earlier run at " + p, e);
            }
        }
    }

    /**
     * Whether the output holds at least one committed data file, also inside partition folders
     * ({@code year=2020/}); names starting with _ or . are not data.
     */
    static boolean hasCommittedData(SparkSession spark, String output) {
        Path out = new Path(output);
        FileSystem fs = fs(spark, out);
        try {
            return fs.exists(out) && containsData(fs, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out, e);
        }
    }

    private static boolean containsData(FileSystem fs, Path dir) throws IOException {
        for (FileStatus st : fs.listStatus(dir)) {
            if (isData(st.getPath()) && (st.isFile() || containsData(fs, st.getPath()))) {
                return true;
            }
        }
        return false;
    }

    /** The batch (0..batches-1) of a document, from its id only, so a batch is the same whatever the partitioning. */
    static Column batchOf(Column id, int batches) {
        return pmod(xxhash64(id), lit((long) batches));
    }

    /** Writes one batch through {@code writer} into a fresh staging folder, then moves its data files into the output. */
    static void write(SparkSession spark, String output, int batch, Consumer<String> writer) {
        Path out = new Path(output);
        Path staging = new Path(new Path(out, STAGING), UUID.randomUUID() + "-b" + batch);
        FileSystem fs = fs(spark, out);
        writer.accept(staging.toString());
        try {
            moveData(fs, staging, out);
            fs.delete(staging, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit batch " + batch + " into " + out, e);
        }
    }

    /** Moves every data file under {@code from} to the same relative place under {@code to} (partition folders kept). */
    private static void moveData(FileSystem fs, Path from, Path to) throws IOException {
        fs.mkdirs(to);
        for (FileStatus st : fs.listStatus(from)) {
            if (!isData(st.getPath())) {
                continue;
            }
            Path target = new Path(to, st.getPath().getName());
            if (st.isDirectory()) {
                moveData(fs, st.getPath(), target);
            } else if (fs.exists(target)) { // Spark's part names carry the write job's UUID: never expected
                throw new IOException("refusing to replace committed file " + target);
            } else if (!fs.rename(st.getPath(), target)) {
                throw new IOException("rename " + st.getPath() + " -> " + target + " failed");
            }
        }
    }

    private static boolean isData(Path p) {
        String n = p.getName();
        return !n.startsWith("_") && !n.startsWith(".");
    }

    private static FileSystem fs(SparkSession spark, Path p) {
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + p, e);
        }
    }
}
