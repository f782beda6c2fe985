package org.biogpt.spark.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
    @TempDir
    Path dir;

    private static final String DDI_GOLD = """
            {"a": {"abstract": "A and B.", "triples": [{"drug": "A", "target": "B", "interaction": "effect"}]},
             "z": {"abstract": "none", "triples": []},
             "b": {"abstract": "C and D.", "triples": [{"drug": "C", "target": "D", "interaction": "int"}]}}
            """;

    private String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new EvaluateCommand()).execute(args));
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** evaluate --task ddi on the gold above, with {@code args} after it; its metrics. */
    private JsonNode evaluateDdi(String... args) throws Exception {
        Path gold = Files.writeString(dir.resolve("test.json"), DDI_GOLD);
        List<String> all = new ArrayList<>(List.of("--task", "ddi", "--data", gold.toString()));
        all.addAll(List.of(args));
        return new ObjectMapper().readTree(run(all.toArray(String[]::new)));
    }

    @Test
    void plainTextPredictionsInFileOrderPrintTheContractFields() throws Exception {
        Path preds = dir.resolve("generate.txt");
        // one line per document with gold relations (a, b), as the original writes whole sequences
        Files.writeString(preds, "a and b. learned1 learned2 the interaction between a and b is effect.\n"
                + "c and d. learned1 learned2 the interaction between c and x is int.\n");
        Path out = dir.resolve("out.jsonl");
        JsonNode m = evaluateDdi("--predictions", preds.toString(), "--predictions-out", out.toString());
        assertEquals("ddi", m.get("task").asText());
        assertEquals(2, m.get("documents").asInt());
        // doc a: p = r = 1; doc b: p = r = 0 -> means 1/2; pooled 1 of 2 predicted, 1 of 2 gold
        assertEquals(0.5, m.get("set_level").get("precision").asDouble(), 1e-12);
        assertEquals(0.5, m.get("set_level").get("recall").asDouble(), 1e-12);
        assertEquals(0.5, m.get("set_level").get("f1").asDouble(), 1e-12);
        assertEquals(0.5, m.get("document_average").get("precision").asDouble(), 1e-12);
        assertEquals(0.5, m.get("document_average").get("recall").asDouble(), 1e-12);
        assertEquals(0.5, m.get("document_average").get("mean_f1").asDouble(), 1e-12);
        assertEquals(0.5, m.get("document_average").get("f1_of_means").asDouble(), 1e-12);
        assertTrue(Files.readString(out).startsWith("{\"id\":\"a\",\"prediction\":"));
    }

    @Test
    void pubmedQaJsonlPredictionsPrintAccuracyAndMacroF1() throws Exception {
        Path gold = dir.resolve("test.tsv");
        Files.writeString(gold, "question: q1? context: c. answer: a.\tyes\nquestion: q2? context: c. answer: a.\tno\n");
        Path preds = dir.resolve("p.jsonl");
        Files.writeString(preds, "{\"id\": 1, \"prediction\": \"the answer to the question given the context is no.\"}\n"
                + "{\"id\": \"0\", \"prediction\": \"the answer to the question given the context is no.\"}\n");
        JsonNode m = new ObjectMapper().readTree(run("--task", "pubmedqa", "--data", gold.toString(), "--predictions", preds.toString()));
        assertEquals(2, m.get("documents").asInt());
        assertEquals(0.5, m.get("accuracy").asDouble(), 1e-12);
        // over the task's labels: yes tp 0 -> F1 0; no tp 1, fp 1 -> 2/3; maybe (never gold nor predicted) 0;
        // macro (0 + 2/3 + 0) / 3 = 2/9, and the output says over which labels
        assertEquals(2.0 / 9, m.get("macro_f1").asDouble(), 1e-12);
        assertEquals("yes,no,maybe", m.get("macro_f1_labels").asText());
        assertTrue(m.get("note").asText().contains("counts as wrong"), m.toString());
    }

    @Test
    void modelRunGeneratesOnePredictionPerDocumentAndScoresThem() throws Exception {
        Path model = Fixtures.model("causal-lm");
        Path out = dir.resolve("predictions.jsonl");
        JsonNode m = evaluateDdi("--model", model.toString(), "--predictions-out", out.toString());
        // Documents without gold triples are dropped as in the original: "z" goes.
        assertEquals(2, m.get("documents").asInt());
        List<String> lines = Files.readAllLines(out);
        assertEquals(2, lines.size());
        assertEquals("a", new ObjectMapper().readTree(lines.get(0)).get("id").asText());
        double f1 = m.get("set_level").get("f1").asDouble();
        assertTrue(f1 >= 0 && f1 <= 1, m.toString());
    }

    @Test
    void sparkAndCoreEnginesGenerateTheSamePredictions() throws Exception {
        Path model = Fixtures.model("causal-lm");
        Path onSpark = dir.resolve("spark.jsonl");
        Path inCore = dir.resolve("core.jsonl");
        Path metrics = dir.resolve("metrics.json");
        JsonNode sparkMetrics = evaluateDdi("--model", model.toString(), "--engine", "spark", "--master", "local[2]", "--partitions", "2",
                "--predictions-out", onSpark.toString(), "--metrics-out", metrics.toString());
        JsonNode coreMetrics = evaluateDdi("--model", model.toString(), "--engine", "core", "--predictions-out", inCore.toString());
        assertEquals(Files.readAllLines(inCore), Files.readAllLines(onSpark));
        assertEquals(coreMetrics, sparkMetrics);
        assertEquals(sparkMetrics, new ObjectMapper().readTree(Files.readString(metrics)));
    }

    @Test
    void bf16DecodeWeightsGiveTheSamePredictionsOnBothEngines() throws Exception {
        Path gold = dir.resolve("test.json");
        Files.writeString(gold, DDI_GOLD);
        Path model = Path.of(System.getProperty("biogpt.fixtures")).resolve("biogpt-tiny/causal-lm");
        Path onSpark = dir.resolve("spark-bf16.jsonl");
        Path inCore = dir.resolve("core-bf16.jsonl");
        JsonNode sparkMetrics = new ObjectMapper().readTree(run("--task", "ddi", "--data", gold.toString(),
                "--model", model.toString(), "--engine", "spark", "--master", "local[2]", "--partitions", "2",
                "--decode-weights", "bf16", "--predictions-out", onSpark.toString()));
        JsonNode coreMetrics = new ObjectMapper().readTree(run("--task", "ddi", "--data", gold.toString(),
                "--model", model.toString(), "--engine", "core", "--decode-weights", "bf16", "--predictions-out", inCore.toString()));
        assertEquals(2, Files.readAllLines(inCore).size());
        assertEquals(Files.readAllLines(inCore), Files.readAllLines(onSpark));
        assertEquals(coreMetrics, sparkMetrics);
        assertEquals(1, new CommandLine(new EvaluateCommand()).execute("--task", "ddi", "--data", gold.toString(),
                "--model", model.toString(), "--engine", "core", "--decode-weights", "fp16"), "an unknown format is refused");
    }

    @Test
    void fairseqFolderRunsEndToEndWithEitherEngine() throws Exception {
        Path fairseq = Fixtures.fairseq().resolve("re-prompt9");
        Path onSpark = dir.resolve("spark.jsonl");
        Path inCore = dir.resolve("core.jsonl");
        // One prompt per batch on both engines: greedy runs to max_length over the padded batch width,
        // so only equal batches give equal texts once the tiny model runs into its 128 positions.
        JsonNode core = evaluateDdi("--model", fairseq.toString(), "--engine", "core", "--batch-size", "1",
                "--predictions-out", inCore.toString());
        JsonNode spark = evaluateDdi("--model", fairseq.toString(), "--checkpoint-file", "checkpoint.pt", "--engine", "spark",
                "--master", "local[2]", "--batch-size", "1", "--predictions-out", onSpark.toString());
        assertEquals(2, core.get("documents").asInt(), "z has no gold triples");
        assertEquals(Files.readAllLines(inCore), Files.readAllLines(onSpark));
        assertEquals(core, spark);
        for (String line : Files.readAllLines(inCore)) {
            // the generated text starts after the prompt: never the learned tokens themselves
            assertTrue(!new ObjectMapper().readTree(line).get("prediction").asText().contains("learned1"), line);
        }
    }
}
