package org.biogpt.spark.jobs.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** JSON Lines in and out of files, or stdin/stdout for "-". One JSON object per line. */
public final class JsonLines {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {
    }

    /** A record read from line {@code lineNumber} (1-based) of its source. */
    public record Line(long lineNumber, ObjectNode json) {
    }

    public static Reader reader(String path) throws IOException {
        BufferedReader in = path.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8);
        return new Reader(in, path.equals("-") ? "<stdin>" : path);
    }

    public static Writer writer(String path) throws IOException {
        if (path.equals("-")) {
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                @Override
                public void close() throws IOException {
                    flush(); // never close stdout
                }
            };
        }
        Path p = Path.of(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8);
    }

    public static void write(Writer out, JsonNode node) throws IOException {
        out.write(MAPPER.writeValueAsString(node));
        out.write('\n');
    }

    /** Streams the objects of a JSONL source; blank lines are skipped, a bad line is an error naming it. */
    public static final class Reader implements Iterator<Line>, Closeable {
        private final BufferedReader in;
        private final String name;
        private long lineNumber;
        private Line next;

        Reader(BufferedReader in, String name) {
            this.in = in;
            this.name = name;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = MAPPER.readTree(line);
                    } catch (JsonProcessingException e) {
                        throw new IllegalArgumentException(name + " line " + lineNumber + ": not valid JSON ("
                                + e.getOriginalMessage() + ")");
                    }
                    if (!(node instanceof ObjectNode obj)) {
                        throw new IllegalArgumentException(name + " line " + lineNumber + ": expected a JSON object");
                    }
                    next = new Line(lineNumber, obj);
                    return true;
                }
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Line next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Line l = next;
            next = null;
            return l;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
