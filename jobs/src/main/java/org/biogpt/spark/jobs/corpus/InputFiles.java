package org.biogpt.spark.jobs.corpus;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Input paths (files, directories, globs; local, hdfs:, s3a:) expanded into a sorted file list, and
 * read as one Spark task per file: each task opens its file through Hadoop's FileSystem, decompresses
 * it as a stream ({@code .gz}; other Hadoop codecs by extension) and pulls records from a
 * {@link RecordStream}. A file that fails part way (corrupt gzip, truncated XML) keeps the records read
 * before the failure and adds one error row naming the file and the reason.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Every file under the given paths, sorted by file name then path (so PubMed update files come after
     * the baseline: {@code DeleteCitation} and newer versions apply in that order). Hidden files
     * ({@code _*}, {@code .*}) are left out, as Spark does.
     */
    public static List<String> expand(Configuration conf, List<String> inputs) {
        List<FileStatus> found = new ArrayList<>();
        for (String input : inputs) {
            Path p = new Path(input);
            try {
                FileSystem fs = p.getFileSystem(conf);
                FileStatus[] matches = fs.globStatus(p);
                if (matches == null || matches.length == 0) {
                    throw new IllegalArgumentException("input not found: " + input);
                }
                for (FileStatus m : matches) {
                    collect(fs, m, found);
                }
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("input not found: " + input, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + input, e);
            }
        }
        Map<String, FileStatus> unique = new LinkedHashMap<>();
        found.forEach(s -> unique.putIfAbsent(s.getPath().toString(), s));
        List<String> files = new ArrayList<>(unique.keySet());
        files.sort(Comparator.comparing((String s) -> s.substring(s.lastIndexOf('/') + 1)).thenComparing(s -> s));
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files under " + inputs);
        }
        return files;
    }

    private static void collect(FileSystem fs, FileStatus s, List<FileStatus> out) throws IOException {
        String name = s.getPath().getName();
        if (name.startsWith("_") || name.startsWith(".")) {
            return;
        }
        if (s.isDirectory()) {
            for (FileStatus c : fs.listStatus(s.getPath())) {
                collect(fs, c, out);
            }
        } else {
            out.add(s);
        }
    }

    /** Opens a file for reading, decompressing {@code .gz} (and other Hadoop codecs) on the fly. */
    public static InputStream open(Configuration conf, String file) throws IOException {
        Path p = new Path(file);
        InputStream raw = p.getFileSystem(conf).open(p, 1 << 16);
        try {
            if (file.endsWith(".gz")) {
                return new GZIPInputStream(raw, 1 << 16);
            }
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
            return codec == null ? raw : codec.createInputStream(raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Reads the files with one task each into rows of {@link Records#SCHEMA}. */
    public static Dataset<Row> read(SparkSession spark, List<String> files, RecordStream.Factory factory) {
        List<Tuple2<Integer, String>> indexed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            indexed.add(new Tuple2<>(i, files.get(i)));
        }
        Map<String, String> conf = new LinkedHashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> conf.put(e.getKey(), e.getValue()));
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(indexed, Math.max(1, files.size()))
                .flatMap(new FileTask(conf, factory));
        return spark.createDataFrame(rows, Records.SCHEMA);
    }

    /** One file → its rows, lazily; failures become a final error row. */
    static final class FileTask implements FlatMapFunction<Tuple2<Integer, String>, Row> {
        private final Map<String, String> conf;
        private final RecordStream.Factory factory;

        FileTask(Map<String, String> conf, RecordStream.Factory factory) {
            this.conf = conf;
            this.factory = factory;
        }

        @Override
        public Iterator<Row> call(Tuple2<Integer, String> file) {
            Configuration c = new Configuration(false);
            conf.forEach(c::set);
            return rows(c, file._2(), file._1(), factory);
        }
    }

    /** The rows of one file (usable without Spark, e.g. in tests). */
    public static Iterator<Row> rows(Configuration conf, String file, int fileIndex, RecordStream.Factory factory) {
        return new Iterator<>() {
            private InputStream in;
            private RecordStream stream;
            private Row next;
            private boolean done;
            private int count;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    advance();
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }

            private void advance() {
                try {
                    if (stream == null) {
                        in = open(conf, file);
                        stream = factory.open(in, file, fileIndex);
                    }
                    next = stream.next();
                    if (next == null) {
                        finish();
                    } else {
                        count++;
                    }
                } catch (Exception e) {
                    finish();
                    next = Records.error(null, null, file, fileIndex, describe(e, count));
                }
            }

            private void finish() {
                done = true;
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // reading is over; a close failure changes nothing
                    }
                }
            }
        };
    }

    static String describe(Exception e, int recordsBefore) {
        Throwable root = e;
        String what = null;
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof java.util.zip.ZipException || t instanceof java.io.EOFException) {
                what = "corrupt or truncated compressed data";
                root = t;
                break;
            }
        }
        if (what == null) {
            what = e instanceof javax.xml.stream.XMLStreamException ? "malformed or truncated XML"
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException ? "malformed or truncated JSON"
                    : "unreadable file";
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage().replaceAll("\\s+", " ").strip();
        return "file quarantined: " + what + " after " + recordsBefore + " records (" + msg + ")";
    }

    private static Throwable next(Throwable t) {
        if (t.getCause() != null && t.getCause() != t) {
            return t.getCause();
        }
        if (t instanceof javax.xml.stream.XMLStreamException x && x.getNestedException() != t) {
            return x.getNestedException();
        }
        return null;
    }
}
