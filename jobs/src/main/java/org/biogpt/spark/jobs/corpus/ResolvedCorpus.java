package org.biogpt.spark.jobs.corpus;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Decides the fate of every record a reader produced, and counts each fate, so that
 * {@code read = documents + quarantined + deleted + superseded + skipped_no_abstract} always holds:
 * <ol>
 *   <li>a record with an error (or a file that could not be read to its end) is quarantined;</li>
 *   <li>a record whose PMID a {@code DeleteCitation} names, in the same file or a later one (files are
 *       ordered by name, so update files follow the baseline), is deleted;</li>
 *   <li>of the records left with the same id, only the highest {@code Version} is kept (a tie goes to
 *       the later file); the others are superseded (any format: ids in the output are unique);</li>
 *   <li>a record without an abstract is skipped unless {@code keepNoAbstract}.</li>
 * </ol>
 * DeleteCitation entries themselves are not records: they are counted apart ({@link Counts#deleteEntries}).
 */
public final class ResolvedCorpus {
    /** Extra columns the documents carry besides id, title and text. */
    public static final String[] METADATA = {"version", "journal", "year", "mesh", "abstract_source", "input_file"};

    private final Dataset<Row> records;
    private final Dataset<Row> labelled;
    private final Counts counts;

    /** What happened to the records of a read. */
    public record Counts(long read, long documents, long quarantined, long deleted, long superseded,
                         long skippedNoAbstract, long deleteEntries) implements java.io.Serializable {
        public boolean balanced() {
            return read == documents + quarantined + deleted + superseded + skippedNoAbstract;
        }
    }

    private ResolvedCorpus(Dataset<Row> records, Dataset<Row> labelled, Counts counts) {
        this.records = records;
        this.labelled = labelled;
        this.counts = counts;
    }

    public static ResolvedCorpus resolve(Dataset<Row> read, boolean keepNoAbstract) {
        Dataset<Row> records = read.persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> recs = records.filter(col("is_delete").equalTo(false));
        Column ok = col("error").isNull();
        // DeleteCitation lists are small next to the articles: broadcast them rather than shuffle the articles twice.
        Dataset<Row> deletes = records.filter(col("is_delete")).groupBy(col("id").as("_del_id"))
                .agg(max("file_index").as("_del_index"));
        Dataset<Row> j = recs.join(broadcast(deletes), recs.col("id").equalTo(deletes.col("_del_id")), "left_outer");
        Column deleted = ok.and(col("_del_index").isNotNull()).and(col("file_index").leq(col("_del_index")));
        j = j.withColumn("_candidate", ok.and(not(deleted)));
        // One shuffle by id for the version rule, into as many partitions as there are files (or cores): the
        // model stages that follow run on these partitions, so one big input file still uses every core.
        int parts = Math.max(read.rdd().getNumPartitions(), read.sparkSession().sparkContext().defaultParallelism());
        j = j.repartition(parts, col("id"));
        // Every format, not only PubMed: an id written twice would break incremental runs (and joins downstream).
        // Without versions the later file wins; inside one file the choice is by content, so re-runs agree.
        Column rank = row_number().over(Window.partitionBy(col("id"), col("_candidate"))
                .orderBy(col("version").desc_nulls_last(), col("file_index").desc(), col("text").desc_nulls_last(),
                        col("title").desc_nulls_last()));
        Column superseded = col("_candidate").and(rank.gt(1));
        Column outcome = when(col("error").isNotNull(), "quarantined")
                .when(deleted, "deleted")
                .when(superseded, "superseded")
                .when(col("no_abstract").and(lit(!keepNoAbstract)), "no_abstract")
                .otherwise("document");
        Dataset<Row> labelled = j.withColumn("_outcome", outcome)
                .drop("_del_id", "_del_index", "_candidate")
                .persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, Long> byOutcome = new HashMap<>();
        for (Row r : labelled.groupBy("_outcome").count().collectAsList()) {
            byOutcome.put(r.getString(0), r.getLong(1));
        }
        long deleteEntries = records.filter(col("is_delete")).count();
        long read0 = byOutcome.values().stream().mapToLong(Long::longValue).sum();
        Counts counts = new Counts(read0, byOutcome.getOrDefault("document", 0L),
                byOutcome.getOrDefault("quarantined", 0L), byOutcome.getOrDefault("deleted", 0L),
                byOutcome.getOrDefault("superseded", 0L), byOutcome.getOrDefault("no_abstract", 0L), deleteEntries);
        return new ResolvedCorpus(records, labelled, counts);
    }

    public Counts counts() {
        return counts;
    }

    /** The documents to process: id, title, text, then {@link #METADATA}. */
    public Dataset<Row> documents() {
        return labelled.filter(col("_outcome").equalTo("document"))
                .select(col("id"), col("title"), col("text"), col("version"), col("journal"), col("year"), col("mesh"),
                        col("abstract_source"), substring_index(col("source"), "/", -1).as("input_file"));
    }

    /** Quarantined records and files with their reason: id, version, title, text, source (file), error. */
    public Dataset<Row> quarantine() {
        return labelled.filter(col("_outcome").equalTo("quarantined"))
                .select("id", "version", "title", "text", "source", "error");
    }

    /** The PMIDs that DeleteCitation entries remove for good: named by one and not re-added by a later file (distinct). */
    public Dataset<Row> deletedIds() {
        // A PMID deleted and then re-added by a later file still exists: earlier output keeps it.
        Dataset<Row> alive = labelled.filter(not(col("_outcome").isin("quarantined", "deleted"))).select("id");
        return records.filter(col("is_delete")).select("id").distinct().join(alive, "id", "left_anti");
    }

    public void unpersist() {
        labelled.unpersist();
        records.unpersist();
    }
}
