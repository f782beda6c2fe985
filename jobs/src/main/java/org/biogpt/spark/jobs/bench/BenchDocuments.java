package org.biogpt.spark.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.jobs.io.JsonLines;

/**
 * The first N documents of a JSONL file (one object per line, as {@code tools/bench_task_hf.py
 * --make-input} writes them), each as the input fields of a task's stage. Both sides of the
 * side-by-side benchmark read the same file the same way: blank lines are skipped, a line that is
 * not a JSON object or lacks a required field is an error naming the line (a benchmark must not
 * silently run fewer documents than asked), and so is a file with fewer than N documents.
 *
 * @param ids  each document's "id" (or its line number when it has none)
 * @param rows each document's fields in the task's order; an absent optional field is null
 */
public record BenchDocuments(List<String> ids, List<List<String>> rows) {

    public static BenchDocuments read(Path file, BenchTask task, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--docs must be at least 1, got " + n);
        }
        List<String> ids = new ArrayList<>(n);
        List<List<String>> rows = new ArrayList<>(n);
        try (JsonLines.Reader in = JsonLines.reader(file.toString())) {
            while (rows.size() < n && in.hasNext()) {
                JsonLines.Line line = in.next();
                List<String> fields = new ArrayList<>(task.fields().size());
                for (String f : task.fields()) {
                    JsonNode v = line.json().get(f);
                    String s = v == null || v.isNull() ? null : v.asText();
                    if (task.requiredFields().contains(f) && (s == null || s.isBlank())) {
                        throw new IllegalArgumentException(file + " line " + line.lineNumber() + ": no \"" + f + "\" (task "
                                + task + " reads " + task.fields() + ")");
                    }
                    fields.add(s);
                }
                JsonNode id = line.json().get("id");
                ids.add(id == null || id.isNull() ? String.valueOf(line.lineNumber()) : id.asText());
                rows.add(fields);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (rows.size() < n) {
            throw new IllegalArgumentException(file + " has " + rows.size() + " documents, fewer than --docs " + n);
        }
        return new BenchDocuments(List.copyOf(ids), List.copyOf(rows));
    }

    public int size() {
        return rows.size();
    }
}
