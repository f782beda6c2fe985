package org.biogpt.spark.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.jobs.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI on a microsoft/BioGPT fairseq folder given as --model, against re-prompt9.golden.json
 * (Hugging Face on the same weights): score and greedy generate with {"id", "input_ids"} rows,
 * tokenize against the Hub-layout fixture, evaluate end to end on both engines.
 */
class FairseqFolderCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path fixtures;
    private static Path folder;
    private static JsonNode golden;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        fixtures = Path.of(System.getProperty("biogpt.fixtures"));
        folder = fixtures.resolve("biogpt-tiny-fairseq/re-prompt9");
        golden = JSON.readTree(fixtures.resolve("biogpt-tiny-fairseq/re-prompt9.golden.json").toFile());
    }

    private Path idsFile(JsonNode rows) throws IOException {
        Path in = dir.resolve("ids.jsonl");
        try (Writer w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            for (JsonNode r : rows) {
                w.write(JSON.writeValueAsString(Map.of("id", r.get("id").asText(), "input_ids", r.get("input_ids"))) + "\n");
            }
        }
        return in;
    }

    private Map<String, JsonNode> run(String command, Path model, Path input, String... extra) throws IOException {
        Path out = dir.resolve(command + ".out.jsonl");
        List<String> args = new ArrayList<>(List.of(command, "--model", model.toString(),
                "--input", input.toString(), "--output", out.toString()));
        args.addAll(List.of(extra));
        assertEquals(0, Main.execute(args.toArray(String[]::new)), command + " exit code");
        Map<String, JsonNode> rows = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode r = JSON.readTree(line);
            rows.put(r.get("id").asText(), r);
        }
        return rows;
    }

    @Test
    void scoreMatchesTheReferenceOverTheExtendedVocabulary() throws IOException {
        JsonNode single = golden.get("causal_lm").get("single");
        Map<String, JsonNode> out = run("score", folder, idsFile(single), "--batch-size", "4");
        assertEquals(12, out.size());
        for (JsonNode g : single) {
            String id = g.get("id").asText();
            JsonNode r = out.get(id);
            assertEquals(g.get("input_ids"), r.get("input_ids"), id);
            JsonNode gl = g.get("last_logits");
            JsonNode rl = r.get("last_logits");
            assertEquals(gl.get("top20_ids"), rl.get("top20_ids"), id);
            assertEquals(gl.get("argmax").asInt(), rl.get("argmax").asInt(), id);
            assertEquals(gl.get("logsumexp").asDouble(), rl.get("logsumexp").asDouble(), 1e-4, id);
            for (int i = 0; i < 20; i++) {
                assertEquals(gl.get("top20_values").get(i).asDouble(), rl.get("top20_values").get(i).asDouble(), 1e-4, id);
            }
            JsonNode want = g.get("next_token_logprobs");
            JsonNode got = r.get("next_token_logprobs");
            assertEquals(want.size(), got.size(), id);
            for (int t = 0; t < want.size(); t++) {
                assertEquals(want.get(t).asDouble(), got.get(t).asDouble(), 1e-4, id + " t=" + t);
            }
        }
    }

    @Test
    void greedyGenerateGivesTheReferenceTokensThroughTheNamedCheckpointFile() throws IOException {
        JsonNode greedy = golden.get("greedy");
        Map<String, JsonNode> out = run("generate", folder, idsFile(greedy), "--max-new-tokens", "12",
                "--batch-size", "8", "--checkpoint-file", "checkpoint.pt");
        for (JsonNode g : greedy) {
            String id = g.get("id").asText();
            assertEquals(g.get("new_tokens"), out.get(id).get("sequences").get(0), id);
        }
    }

    @Test
    void tokenizeGivesTheHubLayoutTokenizersIds() throws IOException {
        JsonNode texts = JSON.readTree(fixtures.resolve("biogpt-tiny/golden.json").toFile()).get("texts");
        Path in = dir.resolve("texts.jsonl");
        try (Writer w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            for (JsonNode t : texts) {
                w.write(JSON.writeValueAsString(Map.of("id", t.get("id").asText(), "text", t.get("text").asText())) + "\n");
            }
        }
        Map<String, JsonNode> fairseq = run("tokenize", folder, in);
        Map<String, JsonNode> hub = run("tokenize", fixtures.resolve("biogpt-tiny/causal-lm"), in);
        assertEquals(texts.size(), fairseq.size());
        for (JsonNode t : texts) {
            String id = t.get("id").asText();
            assertEquals(hub.get(id).get("input_ids"), fairseq.get(id).get("input_ids"), id);
        }
    }

    private static final String DDI_GOLD = """
            {"a": {"abstract": "Aspirin increases the effect of warfarin.", "triples": [{"drug": "aspirin", "target": "warfarin", "interaction": "effect"}]},
             "b": {"abstract": "Ketoconazole and midazolam.", "triples": [{"drug": "ketoconazole", "target": "midazolam", "interaction": "mechanism"}]}}
            """;

    private String evaluate(String... args) {
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

    @Test
    void evaluateRunsEndToEndOnTheFolderWithEitherEngine() throws Exception {
        Path gold = dir.resolve("test.json");
        Files.writeString(gold, DDI_GOLD);
        Path onSpark = dir.resolve("spark.jsonl");
        Path inCore = dir.resolve("core.jsonl");
        // One prompt per batch on both engines: greedy runs to max_length over the padded batch width,
        // so only equal batches give equal texts once the tiny model runs into its 128 positions.
        JsonNode core = JSON.readTree(evaluate("--task", "ddi", "--data", gold.toString(), "--model", folder.toString(),
                "--engine", "core", "--batch-size", "1", "--predictions-out", inCore.toString()));
        JsonNode spark = JSON.readTree(evaluate("--task", "ddi", "--data", gold.toString(), "--model", folder.toString(),
                "--checkpoint-file", "checkpoint.pt", "--engine", "spark", "--master", "local[2]", "--batch-size", "1",
                "--predictions-out", onSpark.toString()));
        assertEquals(2, core.get("documents").asInt());
        assertEquals(Files.readAllLines(inCore), Files.readAllLines(onSpark));
        assertEquals(core, spark);
        for (String line : Files.readAllLines(inCore)) {
            // the generated text starts after the prompt: never the learned tokens themselves
            assertTrue(!JSON.readTree(line).get("prediction").asText().contains("learned1"), line);
        }
    }
}
