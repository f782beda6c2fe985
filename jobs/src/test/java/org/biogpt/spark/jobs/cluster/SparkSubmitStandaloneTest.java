package org.biogpt.spark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar as an operator submits it: a standalone Master and Worker started from the Maven jars
 * ({@link StandaloneCluster}), {@code SparkSubmit} in client mode with the README's
 * {@code conf/spark-defaults.standalone.conf} plus a user {@code spark.executor.extraJavaOptions}, and
 * model paths relative to the driver's working directory. Runs after {@code package} (Surefire execution
 * {@code standalone-cluster}), since it needs {@code jobs/target/biogpt-spark-cluster.jar}.
 */
@Tag("standalone")
class SparkSubmitStandaloneTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOCUMENTS = 24;
    private static final String[] MODELS = {"sample-data/models/biogpt-tiny", "sample-data/models/biogpt-tiny-ner",
        "sample-data/models/biogpt-tiny-cls"};

    @Test
    void submittedEnrichKeepsUserJvmOptionsWritesEveryRecordAndLoadsEachModelOncePerExecutor(@TempDir Path dir)
            throws Exception {
        Path jar = Path.of(System.getProperty("biogpt.clusterJar"));
        assertTrue(Files.isRegularFile(jar), "build the cluster jar first (mvn package): " + jar);
        Path project = SampleCorpus.projectHome();
        Set<String> ids = new HashSet<>();
        Path input = dir.resolve("in.jsonl");
        List<String> lines = new ArrayList<>();
        for (ObjectNode r : SampleCorpus.records().subList(0, DOCUMENTS)) {
            ids.add(r.get("id").asText());
            lines.add(JSON.writeValueAsString(r));
        }
        Files.write(input, lines, StandardCharsets.UTF_8);
        Path output = dir.resolve("enriched");
        String marker = "-Dbiogpt.test.marker=" + UUID.randomUUID();

        try (StandaloneCluster cluster = StandaloneCluster.start(Path.of(System.getProperty("biogpt.standaloneHome")),
                2, 1400)) {
            List<String> submit = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
                    "--master", cluster.masterUrl(), "--deploy-mode", "client",
                    "--properties-file", project.resolve("conf/spark-defaults.standalone.conf").toString(),
                    // the user's own executor options: a --conf replaces the properties file's value
                    "--conf", "spark.executor.extraJavaOptions=" + marker + " -XX:+UseSerialGC",
                    // sized for this 2-core machine: two executors of one core
                    "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
                    "--conf", "spark.executor.memory=640m", "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.ui.enabled=false",
                    "--class", "org.biogpt.spark.jobs.Main", jar.toString(),
                    "enrich", "--input", input.toString(), "--output", output.toString(), "--output-format", "jsonl",
                    "--partition-by", "none", "--tasks", "entities,classify,embed",
                    // relative to the driver's working directory, which no executor shares
                    "--model", MODELS[0], "--model", "entities=" + MODELS[1], "--model", "classify=" + MODELS[2]));
            // The driver JVM's options, as spark-submit would start it with spark.driver.extraJavaOptions.
            ProcessBuilder pb = cluster.sparkProcess("submit", List.of("-Xmx768m", "-Dai.djl.offline=true",
                    "--add-modules=jdk.incubator.vector"), submit).directory(project.toFile());
            Process driver = cluster.run(pb);
            if (!driver.waitFor(360, TimeUnit.SECONDS)) {
                throw new AssertionError("spark-submit still running after 360 s:\n" + tail(cluster.log("submit"))
                        + executorLogs(cluster));
            }
            assertEquals(0, driver.exitValue(), "spark-submit failed:\n" + tail(cluster.log("submit"))
                    + executorLogs(cluster));

            Map<Long, String> executors = cluster.executorCommandLines();
            assertFalse(executors.isEmpty(), "no executor JVM seen");
            for (Map.Entry<Long, String> e : executors.entrySet()) {
                assertTrue(e.getValue().contains(" " + marker + " "), "user option lost on executor " + e.getKey());
                assertTrue(e.getValue().contains(" -XX:+UseSerialGC "), "user option lost on executor " + e.getKey());
                assertTrue(e.getValue().contains(" -Dai.djl.offline=true "), "job's option missing: " + e.getKey());
            }

            List<JsonNode> rows = readJsonLines(output);
            Set<String> written = new HashSet<>();
            rows.forEach(r -> written.add(r.get("id").asText()));
            assertEquals(DOCUMENTS, rows.size(), "one output row per input record");
            assertEquals(ids, written);
            for (JsonNode r : rows) {
                for (String c : List.of("entities_error", "classification_error", "embedding_error")) {
                    assertTrue(!r.has(c) || r.get(c).isNull(), r.get("id") + " " + c + ": " + r.get(c));
                }
            }
            JsonNode counts = JSON.readTree(output.resolve("_SUMMARY.json").toFile()).get("counts");
            assertTrue(counts.get("balanced").asBoolean(), counts.toString());
            assertEquals(DOCUMENTS, counts.get("read").asLong(), counts.toString());
            assertEquals(DOCUMENTS, counts.get("written").asLong(), counts.toString());

            Map<String, Integer> loadsPerExecutorAndModel = new TreeMap<>();
            Map<String, Integer> loadsPerModel = new TreeMap<>();
            for (Path log : cluster.executorLogs()) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    for (String model : MODELS) {
                        if (line.contains("loaded BioGPT model " + project.resolve(model) + " ")) {
                            loadsPerExecutorAndModel.merge(log.getParent().getFileName() + " " + model, 1, Integer::sum);
                            loadsPerModel.merge(model, 1, Integer::sum);
                        }
                    }
                }
            }
            for (String model : MODELS) {
                assertTrue(loadsPerModel.getOrDefault(model, 0) >= 1, model + " never loaded: " + loadsPerExecutorAndModel);
            }
            assertTrue(loadsPerExecutorAndModel.values().stream().allMatch(n -> n == 1),
                    "each executor loads each model once: " + loadsPerExecutorAndModel);
        }
    }

    private static List<JsonNode> readJsonLines(Path output) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(output)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        rows.add(JSON.readTree(line));
                    }
                }
            }
        }
        return rows;
    }

    private static String executorLogs(StandaloneCluster cluster) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path log : cluster.executorLogs()) {
            sb.append("\n--- ").append(log).append('\n').append(tail(Files.readString(log, StandardCharsets.UTF_8)));
        }
        return sb.toString();
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }
}
