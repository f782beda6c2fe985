package org.biogpt.spark.jobs.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/** Reads a file through {@link InputFiles#rows} (the code a Spark task runs) without starting Spark. */
final class ReaderTestSupport {
    private ReaderTestSupport() {
    }

    static List<Row> read(Path file, RecordStream.Factory factory) {
        return collect(InputFiles.rows(new Configuration(false), file.toString(), 0, factory));
    }

    /** Reads a file as enrich does without --format: the reader chosen from its name or first bytes. */
    static List<Row> readAuto(Path file) {
        return readAuto(file, ReadOptions.DEFAULT);
    }

    static List<Row> readAuto(Path file, ReadOptions options) {
        return collect(InputFiles.rows(new Configuration(false), file.toString(), 0,
                CorpusReader.auto(ColumnNames.DEFAULT, options), options));
    }

    /** A real corpus file kept under src/test/resources/corpora (see the README there). */
    static Path corpus(String relative) {
        try {
            return Path.of(ReaderTestSupport.class.getResource("/corpora/" + relative).toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test corpus file missing: " + relative, e);
        }
    }

    private static List<Row> collect(Iterator<Row> it) {
        List<Row> rows = new ArrayList<>();
        it.forEachRemaining(r -> {
            Object[] v = new Object[r.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.get(i);
            }
            rows.add(new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, Records.SCHEMA));
        });
        return rows;
    }

    static Path gzip(Path file, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    static String str(Row r, String col) {
        return r.getAs(col);
    }

    static List<Row> documents(List<Row> rows) {
        return rows.stream().filter(r -> r.getAs("error") == null && !r.<Boolean>getAs("is_delete")).toList();
    }

    static List<Row> errors(List<Row> rows) {
        return rows.stream().filter(r -> r.getAs("error") != null).toList();
    }

    /** Asserts that {@code row} is a bad record or file whose reason contains {@code part}. */
    static void assertErrorContains(Row row, String part) {
        String error = row.getAs("error");
        assertTrue(error != null && error.contains(part), "expected an error containing '" + part + "': " + row);
    }

    /** Asserts that {@code row} is a bad record or file whose reason starts with {@code start}. */
    static void assertErrorStartsWith(Row row, String start) {
        String error = row.getAs("error");
        assertTrue(error != null && error.startsWith(start), "expected an error starting '" + start + "': " + row);
    }
}
