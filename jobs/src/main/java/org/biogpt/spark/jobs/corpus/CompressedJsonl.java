package org.biogpt.spark.jobs.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Compressed JSONL ({@code .gz}, {@code .bz2}, ... by Hadoop codec) read line by line, so that a file cut
 * short (an interrupted download) gives the lines before the cut plus one quarantined record that says
 * where the file broke, instead of failing the whole job as Spark's JSON source does.
 */
final class CompressedJsonl {
    /** One line of a compressed file ({@code line}), or the file's read error ({@code error}). */
    static final StructType LINES = new StructType()
            .add("line", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("error", DataTypes.StringType);

    private CompressedJsonl() {
    }

    /** The files the paths name (a directory: its visible files), split into compressed ones and the rest. */
    static List<List<String>> partition(SparkSession spark, String... paths) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
        List<String> compressed = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (String p : paths) {
            Path path = new Path(p);
            try {
                FileSystem fs = path.getFileSystem(conf);
                FileStatus[] matches = fs.globStatus(path);
                if (matches == null || matches.length == 0) {
                    plain.add(p); // let Spark report the missing path as it always does
                    continue;
                }
                for (FileStatus m : matches) {
                    List<FileStatus> files = new ArrayList<>();
                    if (m.isDirectory()) {
                        for (FileStatus f : fs.listStatus(m.getPath())) {
                            String n = f.getPath().getName();
                            if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
                                files.add(f);
                            }
                        }
                    } else {
                        files.add(m);
                    }
                    for (FileStatus f : files) {
                        (codecs.getCodec(f.getPath()) != null ? compressed : plain).add(f.getPath().toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + p, e);
            }
        }
        return List.of(compressed, plain);
    }

    /** Lines of the compressed files; a file that cannot be read to its end adds one row with the error. */
    static JavaRDD<Row> lines(SparkSession spark, List<String> files) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return jsc.binaryFiles(String.join(",", files), files.size()).flatMap(file -> {
            String source = file._1();
            PortableDataStream data = file._2();
            List<Row> rows = new ArrayList<>();
            CompressionCodec codec = new CompressionCodecFactory(data.getConfiguration()).getCodec(new Path(source));
            long lineNo = 0;
            try (InputStream raw = data.open();
                 BufferedReader r = new BufferedReader(new InputStreamReader(
                         codec == null ? raw : codec.createInputStream(raw), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lineNo++;
                    if (!line.isBlank()) {
                        rows.add(RowFactory.create(line, source, null));
                    }
                }
            } catch (IOException | RuntimeException e) {
                rows.add(RowFactory.create(null, source, "unreadable compressed file after line " + lineNo
                        + " (truncated or corrupt; the rest of the file is lost): " + e));
            }
            return rows.iterator();
        });
    }
}
