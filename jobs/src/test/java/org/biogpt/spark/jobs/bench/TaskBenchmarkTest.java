package org.biogpt.spark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.biogpt.spark.core.model.ModelOptions;
import org.biogpt.spark.core.task.PromptBuilder;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.cluster.SampleCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --task} runs every document through the stage's own task and reports what the run cost: the
 * documents, the prompt tokens the model read, the tokens it generated, and one dump line per document
 * adding up to those totals.
 */
class TaskBenchmarkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A benchmark run: its summary line and its dump, one line per document. */
    private record Run(JsonNode summary, List<JsonNode> dump) {
    }

    private static Run run(String task, String model, int docs, int maxNewTokens, Path tmp) throws Exception {
        Path dump = tmp.resolve(model + "-" + task.replace(':', '-') + ".jsonl");
        TaskBenchmark.Settings s = new TaskBenchmark.Settings(BenchTask.parse(task), SampleCorpus.model(model),
                task.startsWith("qa") ? SampleCorpus.projectHome().resolve("sample-data/corpus/pubmedqa-test-200.jsonl")
                        : SampleCorpus.jsonl(), docs, 2, maxNewTokens, 1, 1, ModelOptions.defaults().withThreads(1), false,
                null, dump);
        JsonNode summary = JSON.readTree(new TaskBenchmark(s).run());
        return new Run(summary, lines(dump));
    }

    private static List<JsonNode> lines(Path f) throws Exception {
        return Files.readAllLines(f).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void relationsReadTheTasksPromptsAndGenerateAtMostMaxNewTokensPerDocument(@TempDir Path tmp) throws Exception {
        Run run = run("relations:bc5cdr", "biogpt-tiny", 3, 4, tmp);
        JsonNode r = run.summary();
        assertEquals(3, r.get("docs").asInt());
        assertEquals(0, r.get("errors").asInt());
        assertEquals(1, r.get("warmup_docs").asInt());
        // The prompts are the task's: built here straight from the documents with core's PromptBuilder.
        BioGptTokenizer tok = BioGptTokenizer.load(SampleCorpus.model("biogpt-tiny"));
        PromptBuilder prompts = new PromptBuilder(TaskDefinitions.builtIn(TaskDefinitions.BC5CDR), tok);
        long expected = 0;
        for (JsonNode doc : SampleCorpus.records().subList(0, 3)) {
            Map<String, String> fields = new HashMap<>();
            fields.put("title", doc.get("title").asText());
            fields.put("abstract", doc.get("text").asText());
            expected += prompts.build(fields).ids().length;
        }
        assertEquals(expected, r.get("prompt_tokens").asLong());
        long generated = r.get("generated_tokens").asLong();
        assertTrue(generated >= 3 && generated <= 12, "1..4 new tokens per document, got " + generated);
        List<JsonNode> rows = run.dump();
        assertEquals(3, rows.size());
        assertEquals(SampleCorpus.records().get(0).get("id").asText(), rows.get(0).get("id").asText());
        assertEquals(expected, rows.stream().mapToLong(n -> n.get("prompt_tokens").asLong()).sum());
        assertEquals(generated, rows.stream().mapToLong(n -> n.get("generated_tokens").asLong()).sum());
        assertTrue(r.get("rss_mib_after").asDouble() > 0 && r.get("docs_per_s").asDouble() > 0);
    }

    @Test
    void qaWithoutNewTokensOnlyScoresItsLabels(@TempDir Path tmp) throws Exception {
        Run run = run("qa", "biogpt-tiny", 2, 0, tmp);
        assertEquals(0, run.summary().get("generated_tokens").asLong());
        assertEquals(0, run.summary().get("max_new_tokens").asInt());
        for (JsonNode row : run.dump()) {
            assertTrue(Set.of("yes", "no", "maybe").contains(row.get("output").asText()), row.toString());
        }
    }

    @Test
    void classificationHeadsGenerateNothingAndReportTheirLabels(@TempDir Path tmp) throws Exception {
        Run cls = run("classify", "biogpt-tiny-cls", 2, 64, tmp);
        JsonNode c = cls.summary();
        assertEquals(0, c.get("generated_tokens").asLong());
        assertEquals(0, c.get("max_new_tokens").asInt());
        BioGptTokenizer tok = BioGptTokenizer.load(SampleCorpus.model("biogpt-tiny-cls"));
        long tokens = 0;
        for (JsonNode doc : SampleCorpus.records().subList(0, 2)) {
            tokens += tok.encode(doc.get("text").asText()).length();
        }
        assertEquals(tokens, c.get("prompt_tokens").asLong(), "the texts' tokens, </s> included");
        for (JsonNode row : cls.dump()) {
            assertTrue(Set.of("yes", "no", "maybe").contains(row.get("output").asText()), row.toString());
        }
        Run ner = run("entities", "biogpt-tiny-ner", 1, 64, tmp);
        JsonNode e = ner.summary();
        assertEquals(tokens - tok.encode(SampleCorpus.records().get(1).get("text").asText()).length(),
                e.get("prompt_tokens").asLong());
        String[] labels = ner.dump().get(0).get("output").asText().split(" ");
        assertEquals(e.get("prompt_tokens").asLong(), labels.length, "one label per token");
        assertFalse(List.of(labels).contains(""));
    }

    @Test
    void withSparkTheStageItselfRunsEveryDocument() throws Exception {
        TaskBenchmark.Settings s = new TaskBenchmark.Settings(BenchTask.parse("relations"), SampleCorpus.model("biogpt-tiny"),
                SampleCorpus.jsonl(), 3, 2, 3, 1, 1, ModelOptions.defaults(), true, "local[1]", null);
        JsonNode r = JSON.readTree(new TaskBenchmark(s).run());
        assertEquals("spark", r.get("path").asText());
        assertEquals(3, r.get("docs").asInt());
        assertEquals(0, r.get("errors").asInt());
        assertEquals(1, r.get("warmup_docs").asInt());
        assertTrue(r.get("peak_rss_mib").asDouble() > 0);
    }

    @Test
    void relationExtractionNeedsRoomToGenerate() {
        TaskBenchmark.Settings s = new TaskBenchmark.Settings(BenchTask.parse("relations"), SampleCorpus.model("biogpt-tiny"),
                null, 1, 1, 0, 0, 1, ModelOptions.defaults(), false, null, null);
        assertThrows(IllegalArgumentException.class, () -> new TaskBenchmark(s));
    }
}
