package org.biogpt.spark.jobs.corpus;

import java.io.BufferedInputStream;
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

    /** The data files of a read, in reading order, and the files left out as not corpus data. */
    public record Listing(List<String> files, List<String> skipped) implements java.io.Serializable {
    }

    /**
     * Every data file under the given paths, sorted by file name then path (so PubMed update files come
     * after the baseline: {@code DeleteCitation} and newer versions apply in that order).
     */
    public static List<String> expand(Configuration conf, List<String> inputs) {
        return list(conf, inputs).files();
    }

    /**
     * As {@link #expand}, also naming the files that a directory or glob held but that are not corpus
     * data: hidden files ({@code _*}, {@code .*}, as Spark leaves them out), {@code README*}, checksums
     * ({@code *.md5}, {@code *.sha256}) and web pages ({@code *.html}), as NLM's FTP folders hold them.
     * A file named explicitly is always read.
     */
    public static Listing list(Configuration conf, List<String> inputs) {
        List<FileStatus> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String input : inputs) {
            Path p = new Path(input);
            try {
                FileSystem fs = p.getFileSystem(conf);
                FileStatus[] matches = fs.globStatus(p);
                if (matches == null || matches.length == 0) {
                    throw new IllegalArgumentException("input not found: " + input);
                }
                boolean explicit = matches.length == 1 && matches[0].isFile()
                        && matches[0].getPath().getName().equals(p.getName());
                for (FileStatus m : matches) {
                    if (explicit) {
                        found.add(m);
                    } else {
                        collect(fs, m, found, skipped);
                    }
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
            throw new IllegalArgumentException("no input files under " + inputs
                    + (skipped.isEmpty() ? "" : " (only files that are not corpus data: " + skipped + ")"));
        }
        return new Listing(files, skipped.stream().distinct().sorted().toList());
    }

    /** Whether a file found in a folder is not corpus data (see {@link #list}). */
    static boolean notData(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.startsWith("_") || n.startsWith(".") || n.startsWith("readme") || n.endsWith(".md5")
                || n.endsWith(".sha256") || n.endsWith(".html") || n.endsWith(".htm");
    }

    private static void collect(FileSystem fs, FileStatus s, List<FileStatus> out, List<String> skipped)
            throws IOException {
        String name = s.getPath().getName();
        if (s.isDirectory()) {
            if (name.startsWith("_") || name.startsWith(".")) {
                return; // Spark's own folders (_temporary, _quarantine) and hidden ones are never input
            }
            for (FileStatus c : fs.listStatus(s.getPath())) {
                collect(fs, c, out, skipped);
            }
        } else if (notData(name)) {
            skipped.add(s.getPath().toString());
        } else {
            out.add(s);
        }
    }

    /**
     * Opens a file for reading, decompressing {@code .gz} (every member checked, see {@link GzipMembers})
     * and other Hadoop codecs by extension on the fly.
     */
    public static InputStream open(Configuration conf, String file) throws IOException {
        Path p = new Path(file);
        InputStream raw = p.getFileSystem(conf).open(p, 1 << 16);
        try {
            if (file.endsWith(".gz")) {
                return new GzipMembers(raw);
            }
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
            return codec == null ? raw : codec.createInputStream(raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Picks the reader of one file, from its name or its first bytes. */
    public interface ReaderChoice extends java.io.Serializable {
        /** The reader for {@code file}; {@code in} is positioned at its start and must be left there. */
        RecordStream.Factory choose(String file, BufferedInputStream in) throws IOException;

        /** The same reader for every file. */
        static ReaderChoice always(RecordStream.Factory factory) {
            return (file, in) -> factory;
        }
    }

    /** Reads the files with one task each into rows of {@link Records#SCHEMA}, all with one reader. */
    public static Dataset<Row> read(SparkSession spark, List<String> files, RecordStream.Factory factory) {
        return read(spark, files, ReaderChoice.always(factory), ReadOptions.DEFAULT);
    }

    /** Reads the files with one task each into rows of {@link Records#SCHEMA}. */
    public static Dataset<Row> read(SparkSession spark, List<String> files, ReaderChoice choice, ReadOptions options) {
        List<Tuple2<Integer, String>> indexed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            indexed.add(new Tuple2<>(i, files.get(i)));
        }
        Map<String, String> conf = new LinkedHashMap<>();
        spark.sparkContext().hadoopConfiguration().forEach(e -> conf.put(e.getKey(), e.getValue()));
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(indexed, Math.max(1, files.size()))
                .flatMap(new FileTask(conf, choice, options));
        return spark.createDataFrame(rows, Records.SCHEMA);
    }

    /** One file → its rows, lazily; failures become a final error row. */
    static final class FileTask implements FlatMapFunction<Tuple2<Integer, String>, Row> {
        private final Map<String, String> conf;
        private final ReaderChoice choice;
        private final ReadOptions options;

        FileTask(Map<String, String> conf, ReaderChoice choice, ReadOptions options) {
            this.conf = conf;
            this.choice = choice;
            this.options = options;
        }

        @Override
        public Iterator<Row> call(Tuple2<Integer, String> file) {
            Configuration c = new Configuration(false);
            conf.forEach(c::set);
            return rows(c, file._2(), file._1(), choice, options);
        }
    }

    /** The rows of one file (usable without Spark, e.g. in tests). */
    public static Iterator<Row> rows(Configuration conf, String file, int fileIndex, RecordStream.Factory factory) {
        return rows(conf, file, fileIndex, ReaderChoice.always(factory), ReadOptions.DEFAULT);
    }

    /**
     * The rows of one file: with {@code verifyMd5} it is first checked against its {@code .md5}; a file
     * that yields no row at all (empty, or not in the format it was read as) gives one error row, so
     * that no file contributes silently nothing.
     */
    public static Iterator<Row> rows(Configuration conf, String file, int fileIndex, ReaderChoice choice,
                                     ReadOptions options) {
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
                        if (options.verifyMd5()) {
                            String problem = Md5Check.problem(conf, file);
                            if (problem != null) {
                                finish();
                                next = Records.error(null, null, file, fileIndex, "file quarantined: " + problem);
                                return;
                            }
                        }
                        BufferedInputStream buffered = new BufferedInputStream(open(conf, file), 1 << 16);
                        in = buffered;
                        stream = choice.choose(file, buffered).open(buffered, file, fileIndex);
                    }
                    next = stream.next();
                    if (next == null) {
                        finish();
                        if (count == 0) {
                            next = Records.error(null, null, file, fileIndex,
                                    "file quarantined: it holds no records (empty, or not in the format it was read as)");
                        }
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
            if (t instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
                what = "a JSON value over the parser's limits";
                root = t;
                break;
            }
        }
        if (what == null) {
            what = e instanceof javax.xml.stream.XMLStreamException ? "malformed or truncated XML"
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException ? "malformed or truncated JSON"
                    : "unreadable file";
        }
        return "file quarantined: " + what + " after " + recordsBefore + " records (" + org.biogpt.spark.jobs.io.Reasons.of(root) + ")";
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
