package org.biogpt.spark.jobs.corpus;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a corpus into one DataFrame of {@link #SCHEMA}: id, title, text, the source file, and an
 * error (null for a good record). Bad records are not dropped: they carry their reason so the job
 * can quarantine them.
 */
public final class CorpusReader {
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("title", DataTypes.StringType)
            .add("text", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("error", DataTypes.StringType);

    private static final StructType JSONL_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("pmid", DataTypes.StringType)
            .add("title", DataTypes.StringType)
            .add("text", DataTypes.StringType)
            .add("abstract", DataTypes.StringType)
            .add("_corrupt_record", DataTypes.StringType);

    private CorpusReader() {
    }

    public static Dataset<Row> read(SparkSession spark, CorpusFormat format, String... paths) {
        switch (format) {
            case JSONL:
                return jsonl(spark, paths);
            case PARQUET:
                return parquet(spark, paths);
            case PUBTATOR:
                return pubtator(spark, paths);
            default:
                throw new IllegalArgumentException("unsupported format " + format);
        }
    }

    private static Dataset<Row> jsonl(SparkSession spark, String... paths) {
        List<List<String>> split = CompressedJsonl.partition(spark, paths);
        if (split.get(0).isEmpty()) {
            return plainJsonl(spark, paths);
        }
        // Compressed files line by line: a truncated .gz keeps its readable lines and adds one error record.
        Dataset<Row> lines = spark.createDataFrame(CompressedJsonl.lines(spark, split.get(0)), CompressedJsonl.LINES);
        Dataset<Row> parsed = lines.filter(col("error").isNull())
                .select(org.apache.spark.sql.functions.from_json(col("line"), JSONL_SCHEMA,
                        java.util.Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", "_corrupt_record")).as("j"),
                        col("source"))
                .select("j.*", "source");
        Dataset<Row> good = normalise(parsed, col("_corrupt_record").isNotNull(), "not a valid JSON object: ");
        Dataset<Row> broken = lines.filter(col("error").isNotNull())
                .select(lit(null).cast(DataTypes.StringType).as("id"), lit("").as("title"),
                        lit(null).cast(DataTypes.StringType).as("text"), col("source"), col("error"));
        Dataset<Row> all = good.unionByName(broken);
        return split.get(1).isEmpty() ? all : plainJsonl(spark, split.get(1).toArray(String[]::new)).unionByName(all);
    }

    private static Dataset<Row> plainJsonl(SparkSession spark, String... paths) {
        Dataset<Row> raw = spark.read().schema(JSONL_SCHEMA)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", "_corrupt_record")
                .json(paths)
                .withColumn("source", input_file_name());
        return normalise(raw, col("_corrupt_record").isNotNull(), "not a valid JSON object: ");
    }

    private static Dataset<Row> parquet(SparkSession spark, String... paths) {
        Dataset<Row> raw = spark.read().parquet(paths);
        List<String> cols = Arrays.asList(raw.columns());
        for (String c : new String[] {"id", "pmid", "title", "text", "abstract"}) {
            if (!cols.contains(c)) {
                raw = raw.withColumn(c, lit(null).cast(DataTypes.StringType));
            } else {
                raw = raw.withColumn(c, col(c).cast(DataTypes.StringType));
            }
        }
        if (!cols.contains("text") && !cols.contains("abstract")) {
            throw new IllegalArgumentException("Parquet input has no 'text' or 'abstract' column; columns: " + cols);
        }
        raw = raw.withColumn("_corrupt_record", lit(null).cast(DataTypes.StringType))
                .withColumn("source", input_file_name());
        return normalise(raw, lit(false), "");
    }

    private static Dataset<Row> normalise(Dataset<Row> raw, Column corrupt, String corruptPrefix) {
        Column id = coalesce(col("id"), col("pmid"));
        Column text = coalesce(col("text"), col("abstract"));
        Column error = when(corrupt, org.apache.spark.sql.functions.concat(lit(corruptPrefix),
                        org.apache.spark.sql.functions.substring(col("_corrupt_record"), 1, 200)))
                .when(id.isNull(), lit("missing id"))
                .when(text.isNull(), lit("missing text"));
        return raw.select(id.as("id"), coalesce(col("title"), lit("")).as("title"), text.as("text"),
                col("source"), error.as("error"));
    }

    private static Dataset<Row> pubtator(SparkSession spark, String... paths) {
        Dataset<Row> files = spark.read().option("wholetext", true).text(paths)
                .withColumn("source", input_file_name());
        FlatMapFunction<Row, Row> parse = file -> {
            String source = file.getString(1);
            List<Row> rows = new ArrayList<>();
            for (PubTatorParser.Result r : PubTatorParser.parse(file.getString(0))) {
                Document d = r.document();
                rows.add(d == null
                        ? RowFactory.create(r.rawId(), "", null, source, r.error())
                        : RowFactory.create(d.id(), d.title(), d.text(), source, null));
            }
            return rows.iterator();
        };
        return files.flatMap(parse, Encoders.row(SCHEMA));
    }
}
