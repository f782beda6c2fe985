package org.biogpt.spark.jobs.corpus;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * JSON Lines read line by line (one file per task, like the XML formats, so a corrupt {@code .gz} is a
 * quarantined file instead of a failed job). Each line is one object; the id, title and text come from
 * the columns {@link ColumnNames} names (a number is read as its text). A line that is not a JSON object,
 * that passes a limit of Jackson's (nesting depth, number length), that is longer than
 * {@link ReadOptions#maxRecordChars()} (never held in memory), or that lacks the id or text, is an
 * error row with its line number and the reason; blank lines are ignored.
 */
public final class JsonLinesReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLinesReader() {
    }

    public static RecordStream.Factory factory(ColumnNames names) {
        return factory(names, ReadOptions.DEFAULT);
    }

    public static RecordStream.Factory factory(ColumnNames names, ReadOptions options) {
        return (in, source, fileIndex) -> {
            BoundedLines lines = new BoundedLines(new InputStreamReader(in, StandardCharsets.UTF_8),
                    options.maxRecordChars());
            return () -> {
                BoundedLines.Line line;
                do {
                    line = lines.next();
                    if (line == null) {
                        return null;
                    }
                } while (!line.tooLong() && line.text().isBlank());
                if (line.tooLong()) {
                    return Records.error(null, null, source, fileIndex,
                            "line " + line.number() + ": " + options.tooLarge("the line", line.length(), true));
                }
                return row(line.text(), line.number(), names, source, fileIndex);
            };
        };
    }

    static Row row(String line, long lineNo, ColumnNames names, String source, int fileIndex) {
        String where = "line " + lineNo + ": ";
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof StreamConstraintsException limit) {
                    return Records.error(null, null, source, fileIndex, where
                            + "not read: the line passes a limit of the JSON parser (" + limit.getOriginalMessage() + ")");
                }
            }
            n = null;
        }
        if (n == null || !n.isObject()) {
            return Records.error(null, null, source, fileIndex,
                    "not a valid JSON object: " + where + line.substring(0, Math.min(200, line.length())));
        }
        String id = first(n, names.idColumns());
        String title = first(n, List.of(names.titleColumn()));
        String text = first(n, names.textColumns());
        if (id == null) {
            return Records.error(null, title, source, fileIndex,
                    "missing id (column " + String.join(" or ", names.idColumns()) + "), " + where.strip());
        }
        if (text == null) {
            return Records.error(id, title, source, fileIndex,
                    "missing text (column " + String.join(" or ", names.textColumns()) + "), " + where.strip());
        }
        // A row with an empty text is kept as it is (its owner chose it); only the abstract formats skip.
        return Records.table(id, title, text, source, fileIndex);
    }

    private static String first(JsonNode n, List<String> fields) {
        for (String f : fields) {
            JsonNode v = n.get(f);
            if (v != null && !v.isNull()) {
                return v.isValueNode() ? v.asText() : v.toString();
            }
        }
        return null;
    }
}
