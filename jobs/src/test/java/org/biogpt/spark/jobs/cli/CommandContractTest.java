package org.biogpt.spark.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.jobs.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSONL commands are contracts: their outputs are compared with the reference the way
 * shared/checks/compare.py does, here on the public fixtures (golden.json).
 */
class CommandContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path fixtures;
    private static JsonNode golden;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        fixtures = Fixtures.tiny();
        golden = JSON.readTree(fixtures.resolve("golden.json").toFile());
    }

    private Path textsFile() throws IOException {
        Path in = dir.resolve("texts.jsonl");
        try (Writer w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            for (JsonNode t : golden.get("texts")) {
                w.write(JSON.writeValueAsString(Map.of("id", t.get("id").asText(), "text", t.get("text").asText())) + "\n");
            }
        }
        return in;
    }

    private Map<String, JsonNode> run(String command, String model, Path input, String... extra) throws IOException {
        return run(command, fixtures.resolve(model), input, extra);
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
    void tokenizeGivesTheReferenceIdsForEveryGoldenText() throws IOException {
        Map<String, JsonNode> out = run("tokenize", "causal-lm", textsFile());
        for (JsonNode t : golden.get("tokenization")) {
            JsonNode r = out.get(t.get("id").asText());
            assertEquals(t.get("input_ids"), r.get("input_ids"), t.get("id").asText());
            assertEquals(r.get("input_ids").size(), r.get("offsets").size());
        }
    }

    @Test
    void scoreMatchesReferenceLogitsAndReportsOverlongTextsAsErrors() throws IOException {
        Map<String, JsonNode> out = run("score", "causal-lm", textsFile(), "--batch-size", "4");
        for (JsonNode g : golden.get("causal_lm").get("single")) {
            JsonNode r = out.get(g.get("id").asText());
            if (g.has("error")) {
                assertTrue(r.get("error").asText().contains("max_position_embeddings"), r.toString());
                continue;
            }
            assertEquals(g.get("input_ids"), r.get("input_ids"));
            JsonNode gl = g.get("last_logits");
            JsonNode rl = r.get("last_logits");
            assertEquals(gl.get("argmax").asInt(), rl.get("argmax").asInt());
            assertEquals(gl.get("logsumexp").asDouble(), rl.get("logsumexp").asDouble(), 1e-4);
            for (int i = 0; i < 20; i++) {
                assertEquals(gl.get("top20_values").get(i).asDouble(), rl.get("top20_values").get(i).asDouble(), 1e-4);
            }
            assertClose(g.get("next_token_logprobs"), r.get("next_token_logprobs"), 1e-4);
        }
    }

    @Test
    void classifyTokensGivesReferenceLabelsAndLogits() throws IOException {
        Map<String, JsonNode> out = run("classify-tokens", "token-classification", textsFile());
        for (JsonNode g : golden.get("token_classification")) {
            if (g.has("error")) {
                continue;
            }
            JsonNode r = out.get(g.get("id").asText());
            assertEquals(g.get("labels"), r.get("labels"));
            for (int t = 0; t < g.get("logits").size(); t++) {
                assertClose(g.get("logits").get(t), r.get("logits").get(t), 1e-4);
            }
        }
    }

    @Test
    void classifyGivesReferenceLabelLogitsAndProbabilitiesSummingToOne() throws IOException {
        Map<String, JsonNode> out = run("classify", "sequence-classification", textsFile());
        for (JsonNode g : golden.get("sequence_classification").get("single")) {
            if (g.has("error")) {
                continue;
            }
            JsonNode r = out.get(g.get("id").asText());
            assertEquals(g.get("label").asText(), r.get("label").asText(), g.get("id").asText());
            assertClose(g.get("logits"), r.get("logits"), 1e-4);
            double sum = 0;
            for (JsonNode p : r.get("probabilities")) {
                sum += p.asDouble();
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void generateGivesTheReferenceTokensForBeamAndGreedyCases() throws IOException {
        for (JsonNode c : golden.get("generation").get("cases")) {
            String name = c.get("name").asText();
            if (!name.equals("beam4/es=False/p0") && !name.equals("batched_left/greedy")) {
                continue;
            }
            Path in = promptsFile(c);
            List<String> args = new ArrayList<>(List.of("--batch-size", "8"));
            c.get("params").fields().forEachRemaining(p -> {
                args.add("--" + p.getKey().replace('_', '-'));
                args.add(p.getValue().asText().toLowerCase());
            });
            Map<String, JsonNode> out = run("generate", "causal-lm", in, args.toArray(String[]::new));
            int nret = c.get("params").path("num_return_sequences").asInt(1);
            for (int i = 0; i < c.get("prompts").size(); i++) {
                JsonNode seqs = out.get(String.valueOf(i)).get("sequences");
                assertEquals(nret, seqs.size());
                for (int k = 0; k < nret; k++) {
                    assertEquals(stripped(c.get("new_tokens").get(i * nret + k)), stripped(seqs.get(k)), name + " prompt " + i);
                }
            }
        }
    }

    /** A golden case's prompts as {"id": row, "input_ids": the row's real tokens}. */
    private Path promptsFile(JsonNode c) throws IOException {
        Path in = dir.resolve("prompts.jsonl");
        try (Writer w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            for (int i = 0; i < c.get("input_ids").size(); i++) {
                List<Integer> ids = new ArrayList<>();
                for (int t = 0; t < c.get("input_ids").get(i).size(); t++) {
                    boolean real = !c.has("attention_mask") || c.get("attention_mask").get(i).get(t).asInt() == 1;
                    if (real) {
                        ids.add(c.get("input_ids").get(i).get(t).asInt());
                    }
                }
                w.write(JSON.writeValueAsString(Map.of("id", String.valueOf(i), "input_ids", ids)) + "\n");
            }
        }
        return in;
    }

    @Test
    void generateWithBf16DecodeWeightsGivesTheReferenceTokensOfTheBf16Checkpoint() throws IOException {
        // Its weights are bf16 values already: packing them in bf16 loses nothing but q's folded scale.
        JsonNode variant = golden.get("variants").get("causal-lm-bf16").get("generation");
        JsonNode c = null;
        for (JsonNode x : variant.get("cases")) {
            if (x.get("name").asText().equals("batched_left/greedy")) {
                c = x;
            }
        }
        Map<String, JsonNode> out = run("generate", "causal-lm-bf16", promptsFile(c), "--batch-size", "8",
                "--max-new-tokens", c.get("params").get("max_new_tokens").asText(), "--decode-weights", "bf16");
        for (int i = 0; i < c.get("prompts").size(); i++) {
            assertEquals(stripped(c.get("new_tokens").get(i)), stripped(out.get(String.valueOf(i)).get("sequences").get(0)),
                    "prompt " + i);
        }
        Path bad = dir.resolve("bad.out.jsonl");
        assertEquals(1, Main.execute("generate", "--model", fixtures.resolve("causal-lm").toString(), "--input",
                promptsFile(c).toString(), "--output", bad.toString(), "--decode-weights", "int8"));
        assertFalse(Files.exists(bad), "nothing written for a refused format");
    }

    /** microsoft/BioGPT's fairseq layout (re-prompt9) and its Hugging Face reference outputs. */
    private static Path fairseqFolder() {
        return fixtures.resolveSibling("biogpt-tiny-fairseq").resolve("re-prompt9");
    }

    private static JsonNode fairseqGolden() throws IOException {
        return JSON.readTree(fixtures.resolveSibling("biogpt-tiny-fairseq").resolve("re-prompt9.golden.json").toFile());
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

    @Test
    void fairseqFolderScoreMatchesTheReferenceOverTheExtendedVocabulary() throws IOException {
        JsonNode single = fairseqGolden().get("causal_lm").get("single");
        Map<String, JsonNode> out = run("score", fairseqFolder(), idsFile(single), "--batch-size", "4");
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
    void fairseqFolderGreedyGenerateGivesTheReferenceTokensThroughTheNamedCheckpointFile() throws IOException {
        JsonNode greedy = fairseqGolden().get("greedy");
        Map<String, JsonNode> out = run("generate", fairseqFolder(), idsFile(greedy), "--max-new-tokens", "12",
                "--batch-size", "8", "--checkpoint-file", "checkpoint.pt");
        for (JsonNode g : greedy) {
            String id = g.get("id").asText();
            assertEquals(g.get("new_tokens"), out.get(id).get("sequences").get(0), id);
        }
    }

    @Test
    void fairseqFolderTokenizeGivesTheHubLayoutTokenizersIds() throws IOException {
        JsonNode texts = golden.get("texts");
        Path in = dir.resolve("texts.jsonl");
        try (Writer w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            for (JsonNode t : texts) {
                w.write(JSON.writeValueAsString(Map.of("id", t.get("id").asText(), "text", t.get("text").asText())) + "\n");
            }
        }
        Map<String, JsonNode> fairseq = run("tokenize", fairseqFolder(), in);
        Map<String, JsonNode> hub = run("tokenize", "causal-lm", in);
        assertEquals(texts.size(), fairseq.size());
        for (JsonNode t : texts) {
            String id = t.get("id").asText();
            assertEquals(hub.get(id).get("input_ids"), fairseq.get(id).get("input_ids"), id);
        }
    }

    @Test
    void aRowThatFailsInTheModelFailsAloneAndItsBatchNeighboursStillGetTheReferenceTokens() throws IOException {
        JsonNode c = null;
        for (JsonNode k : golden.get("generation").get("cases")) {
            if (k.get("name").asText().equals("batched_left/greedy")) {
                c = k;
            }
        }
        // The poisoned row fills all 128 positions: its prompt is accepted, but the second new token has no
        // position left, so the model call of its batch fails; the runner then retries the batch row by row.
        List<Integer> full = new ArrayList<>();
        for (int t = 0; t < 128; t++) {
            full.add(100 + t);
        }
        Path in = dir.resolve("poisoned.jsonl");
        try (Writer w = Files.newBufferedWriter(in, StandardCharsets.UTF_8)) {
            for (int i = 0; i < c.get("input_ids").size(); i++) {
                List<Integer> ids = new ArrayList<>();
                for (int t = 0; t < c.get("input_ids").get(i).size(); t++) {
                    if (c.get("attention_mask").get(i).get(t).asInt() == 1) {
                        ids.add(c.get("input_ids").get(i).get(t).asInt());
                    }
                }
                w.write(JSON.writeValueAsString(Map.of("id", String.valueOf(i), "input_ids", ids)) + "\n");
                if (i == 1) {
                    w.write(JSON.writeValueAsString(Map.of("id", "poisoned", "input_ids", full)) + "\n");
                }
            }
        }
        Map<String, JsonNode> out = run("generate", "causal-lm", in, "--batch-size", "8", "--max-new-tokens", "20");
        assertEquals(c.get("prompts").size() + 1, out.size(), "one output row per input row");
        String error = out.get("poisoned").get("error").asText();
        assertTrue(error.startsWith("model call failed: ") && error.contains("max_position_embeddings"), error);
        for (int i = 0; i < c.get("prompts").size(); i++) {
            JsonNode seqs = out.get(String.valueOf(i)).get("sequences");
            assertEquals(stripped(c.get("new_tokens").get(i)), stripped(seqs.get(0)), "prompt " + i);
        }
    }

    /** New tokens without trailing pads (1) and one final EOS (2), as compare.py compares them. */
    private static List<Integer> stripped(JsonNode seq) {
        List<Integer> s = new ArrayList<>();
        seq.forEach(t -> s.add(t.asInt()));
        while (!s.isEmpty() && s.get(s.size() - 1) == 1) {
            s.remove(s.size() - 1);
        }
        if (!s.isEmpty() && s.get(s.size() - 1) == 2) {
            s.remove(s.size() - 1);
        }
        return s;
    }

    private static void assertClose(JsonNode want, JsonNode got, double tol) {
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).asDouble(), got.get(i).asDouble(), tol, "index " + i);
        }
    }
}
