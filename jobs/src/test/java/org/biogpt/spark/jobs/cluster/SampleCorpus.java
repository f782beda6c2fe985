package org.biogpt.spark.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The bundled sample corpus and tiny checkpoints, and resampled copies of the corpus with new ids. */
public final class SampleCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleCorpus() {
    }

    /** The project folder (the one holding sample-data/), found upwards from the working directory. */
    public static Path projectHome() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("sample-data/models/biogpt-tiny"))) {
                return p;
            }
        }
        throw new IllegalStateException("no sample-data/ above " + Path.of("").toAbsolutePath());
    }

    public static Path jsonl() {
        return projectHome().resolve("sample-data/corpus/bc5cdr-test-200.jsonl");
    }

    public static Path model(String name) {
        return projectHome().resolve("sample-data/models").resolve(name);
    }

    /** {@code --model} specs of the enrich job: the tiny LM by default, tiny NER and classifier per task. */
    public static List<String> modelSpecs() {
        return List.of(model("biogpt-tiny").toString(), "entities=" + model("biogpt-tiny-ner"),
                "classify=" + model("biogpt-tiny-cls"));
    }

    /** The sample corpus records in file order. */
    public static List<ObjectNode> records() {
        List<ObjectNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(jsonl(), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add((ObjectNode) JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Writes {@code documents} records drawn round-robin from the sample corpus, each with a new numeric
     * id (100000000 + n), spread over {@code files} JSONL files in {@code dir}. Returns the ids in order.
     */
    public static List<String> resample(Path dir, int documents, int files) throws IOException {
        List<ObjectNode> src = records();
        Files.createDirectories(dir);
        List<BufferedWriter> writers = new ArrayList<>();
        List<String> ids = new ArrayList<>(documents);
        try {
            for (int f = 0; f < files; f++) {
                writers.add(Files.newBufferedWriter(dir.resolve(String.format("part-%03d.jsonl", f)), StandardCharsets.UTF_8));
            }
            int perFile = (documents + files - 1) / files;
            for (int n = 0; n < documents; n++) {
                ObjectNode r = src.get(n % src.size()).deepCopy();
                String id = Long.toString(100_000_000L + n);
                r.put("id", id);
                ids.add(id);
                BufferedWriter w = writers.get(n / perFile);
                w.write(JSON.writeValueAsString(r));
                w.write('\n');
            }
        } finally {
            for (BufferedWriter w : writers) {
                w.close();
            }
        }
        return ids;
    }

    /** Writes the sample corpus unchanged (same ids), spread over {@code files} JSONL files in {@code dir}. */
    public static List<String> split(Path dir, int files) throws IOException {
        List<ObjectNode> src = records();
        Files.createDirectories(dir);
        List<String> ids = new ArrayList<>();
        int perFile = (src.size() + files - 1) / files;
        for (int f = 0; f < files; f++) {
            StringBuilder sb = new StringBuilder();
            for (ObjectNode r : src.subList(Math.min(src.size(), f * perFile), Math.min(src.size(), (f + 1) * perFile))) {
                sb.append(JSON.writeValueAsString(r)).append('\n');
                ids.add(r.get("id").asText());
            }
            Files.writeString(dir.resolve(String.format("part-%03d.jsonl", f)), sb, StandardCharsets.UTF_8);
        }
        return ids;
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }
}
