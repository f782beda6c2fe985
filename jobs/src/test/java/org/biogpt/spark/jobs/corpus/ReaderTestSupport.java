package org.biogpt.spark.jobs.corpus;

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
        List<Row> rows = new ArrayList<>();
        Iterator<Row> it = InputFiles.rows(new Configuration(false), file.toString(), 0, factory);
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
}
