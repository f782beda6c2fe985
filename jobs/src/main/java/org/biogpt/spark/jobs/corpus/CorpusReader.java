package org.biogpt.spark.jobs.corpus;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a corpus into one DataFrame of {@link Records#SCHEMA}. Bad records are not dropped: they
 * carry their reason in {@code error} so the job can quarantine them. PubMed XML, BioC and PubTator
 * and JSONL are streamed one file per task ({@link InputFiles}); Parquet goes through Spark's reader.
 * {@link CorpusFormat#AUTO} decides each file's format on its own.
 * JSONL and Parquet take configurable column names.
 */
public final class CorpusReader {
    /** The columns of a read corpus (see {@link Records}). */
    public static final StructType SCHEMA = Records.SCHEMA;

    private CorpusReader() {
    }

    public static Dataset<Row> read(SparkSession spark, CorpusFormat format, String... paths) {
        return read(spark, format, ColumnNames.DEFAULT, paths);
    }

    public static Dataset<Row> read(SparkSession spark, CorpusFormat format, ColumnNames columns, String... paths) {
        return read(spark, format, columns, ReadOptions.DEFAULT,
                InputFiles.list(spark.sparkContext().hadoopConfiguration(), Arrays.asList(paths)));
    }

    /**
     * Reads the listed files. With {@link CorpusFormat#AUTO} each file's reader is chosen on its own, from
     * its name where that is sure and from its first bytes otherwise ({@link FormatSniffer}); a file that
     * matches no format is one quarantined row. Parquet is read by Spark, so it must be a run of its own.
     */
    public static Dataset<Row> read(SparkSession spark, CorpusFormat format, ColumnNames columns, ReadOptions options,
                                    InputFiles.Listing listing) {
        List<String> files = listing.files();
        if (format == CorpusFormat.PARQUET
                || (format == CorpusFormat.AUTO && files.stream().allMatch(f -> CorpusFormat.byName(f) == CorpusFormat.PARQUET))) {
            return parquet(spark, columns, files.toArray(String[]::new));
        }
        InputFiles.ReaderChoice choice = format == CorpusFormat.AUTO ? auto(columns, options)
                : InputFiles.ReaderChoice.always(factory(format, columns, options));
        return InputFiles.read(spark, files, choice, options);
    }

    /** The streaming reader of one format. */
    public static RecordStream.Factory factory(CorpusFormat format, ColumnNames columns, ReadOptions options) {
        switch (format) {
            case JSONL:
                return JsonLinesReader.factory(columns, options);
            case PUBTATOR:
                return PubTatorReader.factory(options);
            case PUBMED:
                return PubMedXmlReader.factory(options);
            case BIOC_XML:
                return BioCReader.xmlFactory(options);
            case BIOC_JSON:
                return BioCReader.jsonFactory(options);
            default:
                throw new IllegalArgumentException("no streaming reader for " + format);
        }
    }

    /** Chooses each file's reader from its name, else from its first bytes. */
    static InputFiles.ReaderChoice auto(ColumnNames columns, ReadOptions options) {
        return (file, in) -> {
            CorpusFormat f = CorpusFormat.byName(file);
            if (f == null) {
                f = FormatSniffer.sniff(in);
            }
            if (f == null) {
                throw new java.io.IOException("cannot tell the format of this file from its name or its first bytes"
                        + " (expected PubMed/MEDLINE XML, BioC XML or JSON, PubTator or JSON Lines); pass --format");
            }
            if (f == CorpusFormat.PARQUET) {
                throw new java.io.IOException("a Parquet file among files of other formats: read Parquet in a run"
                        + " of its own (or with --format parquet)");
            }
            return factory(f, columns, options);
        };
    }

    private static Dataset<Row> parquet(SparkSession spark, ColumnNames names, String... paths) {
        Dataset<Row> raw = spark.read().parquet(paths);
        List<String> cols = Arrays.asList(raw.columns());
        List<String> needed = new ArrayList<>(names.idColumns());
        needed.add(names.titleColumn());
        needed.addAll(names.textColumns());
        if (names.textColumns().stream().noneMatch(cols::contains)) {
            throw new IllegalArgumentException("Parquet input has no " + String.join(" or ", names.textColumns())
                    + " column (set --text-col); columns: " + cols);
        }
        if (names.idColumns().stream().noneMatch(cols::contains)) {
            throw new IllegalArgumentException("Parquet input has no " + String.join(" or ", names.idColumns())
                    + " column (set --id-col); columns: " + cols);
        }
        for (String c : new LinkedHashSet<>(needed)) {
            raw = raw.withColumn(c, cols.contains(c) ? col(c).cast(DataTypes.StringType)
                    : lit(null).cast(DataTypes.StringType));
        }
        raw = raw.withColumn("_corrupt_record", lit(null).cast(DataTypes.StringType))
                .withColumn("source", input_file_name());
        return normalise(raw, names, lit(false), "");
    }

    private static Dataset<Row> normalise(Dataset<Row> raw, ColumnNames names, Column corrupt, String corruptPrefix) {
        Column id = coalesce(names.idColumns().stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
        Column text = coalesce(names.textColumns().stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
        Column title = coalesce(col("`" + names.titleColumn() + "`"), lit(""));
        Column error = when(corrupt, concat(lit(corruptPrefix), substring(col("_corrupt_record"), 1, 200)))
                .when(id.isNull(), lit("missing id (column " + String.join(" or ", names.idColumns()) + ")"))
                .when(text.isNull(), lit("missing text (column " + String.join(" or ", names.textColumns()) + ")"));
        // A table row with an empty text is kept as it is (its owner chose it); only the abstract formats skip.
        return raw.select(id.as("id"), lit(null).cast(DataTypes.IntegerType).as("version"), title.as("title"),
                coalesce(text, lit("")).as("text"), lit(null).cast(DataTypes.StringType).as("journal"),
                lit(null).cast(DataTypes.IntegerType).as("year"),
                lit(null).cast(DataTypes.createArrayType(DataTypes.StringType)).as("mesh"),
                lit(false).as("no_abstract"), lit(false).as("is_delete"), lit(0).as("file_index"), col("source"),
                error.as("error"), lit(null).cast(DataTypes.StringType).as("abstract_source"));
    }
}
