package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enrich job in Spark local mode on texts whose reference token ids are known (golden.json). */
class EnrichJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;
    private static Path model;
    private static JsonNode golden;

    @BeforeAll
    static void start() throws IOException {
        Path fixtures = Fixtures.tiny();
        model = fixtures.resolve("causal-lm");
        golden = JSON.readTree(fixtures.resolve("golden.json").toFile());
        spark = SparkSessions.create("enrich-test", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void tokenCountsMatchTheReferenceAndBadLinesAreQuarantined(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("in.jsonl");
        Map<String, Integer> expected = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        golden.get("texts").forEach(t -> texts.put(t.get("id").asText(), t.get("text").asText()));
        try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (JsonNode t : golden.get("tokenization")) {
                String id = t.get("id").asText();
                w.write(JSON.writeValueAsString(Map.of("id", id, "title", "", "text", texts.get(id))) + "\n");
                expected.put(id, t.get("input_ids").size());
            }
            w.write("{not json\n");
            w.write("{\"id\": \"no-text\"}\n");
        }
        BioGptConfig config = BioGptConfig.load(model);
        String out = dir.resolve("out").toString();
        EnrichSummary s = new EnrichJob(List.of(input.toString()), CorpusFormat.JSONL, out, "parquet",
                EnrichModels.parse(List.of(model.toString())), List.of(), 8, WriteMode.ERROR)
                .run(spark, config, BioGptTokenizer.load(model));

        assertEquals(expected.size() + 2, s.read());
        assertEquals(expected.size(), s.written());
        assertEquals(2, s.quarantined());
        for (Row r : spark.read().parquet(out).collectAsList()) {
            int want = expected.get(r.getString(0));
            assertEquals(want, r.getInt(3), "token_count of " + r.getString(0));
            assertEquals(want > config.maxPositions(), r.getBoolean(4));
        }
        List<Row> bad = spark.read().json(out + "/_quarantine").select("error").collectAsList();
        assertEquals(2, bad.size());
        assertTrue(bad.stream().allMatch(r -> r.getString(0) != null && !r.getString(0).isEmpty()));
        JsonNode summary = JSON.readTree(Path.of(out, "_SUMMARY.json").toFile());
        assertTrue(summary.get("counts").get("balanced").asBoolean());
    }

    @Test
    void modelTasksAddTypedColumnsWithTheReferenceAnswers(@TempDir Path dir) throws IOException {
        Path fixtures = model.getParent();
        Path input = dir.resolve("in.jsonl");
        Map<String, String> texts = new HashMap<>();
        golden.get("texts").forEach(t -> texts.put(t.get("id").asText(), t.get("text").asText()));
        Map<String, String> wantLabel = new HashMap<>();
        try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (JsonNode g : golden.get("sequence_classification").get("single")) {
                String id = g.get("id").asText();
                if (g.has("error") || texts.get(id).isBlank() || wantLabel.size() >= 12) {
                    continue;
                }
                wantLabel.put(id, g.get("label").asText());
                w.write(JSON.writeValueAsString(Map.of("id", id, "text", texts.get(id))) + "\n");
            }
        }
        String out = dir.resolve("out").toString();
        EnrichModels models = EnrichModels.parse(List.of(model.toString(),
                "entities=" + fixtures.resolve("token-classification"),
                "classify=" + fixtures.resolve("sequence-classification")));
        EnrichSummary s = new EnrichJob(List.of(input.toString()), CorpusFormat.JSONL, out, "parquet", models,
                EnrichTask.parseList("entities,classify,embed"), 4, WriteMode.ERROR).run(spark, BioGptConfig.load(model),
                BioGptTokenizer.load(model));
        assertEquals(wantLabel.size(), s.written());
        List<Row> rows = spark.read().parquet(out).collectAsList();
        for (Row r : rows) {
            String id = r.getAs("id");
            assertEquals(wantLabel.get(id), r.<Row>getAs("classification").getAs("label"), id);
            assertTrue(r.isNullAt(r.fieldIndex("classification_error")));
            assertEquals(32, r.<org.apache.spark.ml.linalg.Vector>getAs("embedding").size());
            assertTrue(r.isNullAt(r.fieldIndex("entities_error")));
        }
    }

    @Test
    void incrementalRunAddsOnlyNewIdsAndARepeatAddsNothing(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("day1.jsonl");
        Path second = dir.resolve("day2.jsonl");
        Files.writeString(first, "{\"id\": \"1\", \"text\": \"Aspirin.\"}\n{\"id\": \"2\", \"text\": \"Lithium.\"}\n");
        Files.writeString(second, "{\"id\": \"2\", \"text\": \"Lithium.\"}\n{\"id\": \"3\", \"text\": \"Heparin.\"}\n"
                + "not json\n");
        String out = dir.resolve("out").toString();
        EnrichModels models = EnrichModels.parse(List.of(model.toString()));
        BioGptConfig config = BioGptConfig.load(model);
        BioGptTokenizer tok = BioGptTokenizer.load(model);
        EnrichSummary day1 = new EnrichJob(List.of(first.toString()), CorpusFormat.JSONL, out, "parquet", models,
                List.of(), 8, WriteMode.INCREMENTAL).run(spark, config, tok);
        assertEquals(2, day1.written());
        EnrichSummary day2 = new EnrichJob(List.of(second.toString()), CorpusFormat.JSONL, out, "parquet", models,
                List.of(), 8, WriteMode.INCREMENTAL).run(spark, config, tok);
        assertEquals(3, day2.read());
        assertEquals(1, day2.written());
        assertEquals(1, day2.skipped());
        assertEquals(1, day2.quarantined());
        EnrichSummary again = new EnrichJob(List.of(second.toString()), CorpusFormat.JSONL, out, "parquet", models,
                List.of(), 8, WriteMode.INCREMENTAL).run(spark, config, tok);
        assertEquals(0, again.written());
        List<String> ids = spark.read().parquet(out).select("id").orderBy("id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
        assertEquals(List.of("1", "2", "3"), ids);
    }

    @Test
    void errorModeRefusesAnExistingOutput(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"id\": \"1\", \"text\": \"Aspirin.\"}\n");
        String out = dir.resolve("out").toString();
        EnrichModels models = EnrichModels.parse(List.of(model.toString()));
        new EnrichJob(List.of(in.toString()), CorpusFormat.JSONL, out, "parquet", models, List.of(), 8, WriteMode.ERROR)
                .run(spark, BioGptConfig.load(model), BioGptTokenizer.load(model));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () ->
                new EnrichJob(List.of(in.toString()), CorpusFormat.JSONL, out, "parquet", models, List.of(), 8,
                        WriteMode.ERROR).run(spark, BioGptConfig.load(model), BioGptTokenizer.load(model)));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void unknownTaskIsRejectedBeforeAnyWork() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EnrichTask.parseList("entities,relatoins"));
        assertTrue(e.getMessage().contains("relatoins"));
    }

    @Test
    void readsPubTatorFiles(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("docs.pubtator"), "11|t|Aspirin and asthma.\n11|a|Aspirin induced asthma in two patients.\n"
                + "11\t0\t7\tAspirin\tChemical\tD001241\n\n"
                + "12|t|Lithium\n12|a|Lithium toxicity.\n");
        String out = dir.resolve("out").toString();
        EnrichSummary s = new EnrichJob(List.of(input.toString()), CorpusFormat.PUBTATOR, out, "jsonl",
                EnrichModels.parse(List.of(model.toString())), List.of(), 8, WriteMode.ERROR)
                .run(spark, BioGptConfig.load(model), BioGptTokenizer.load(model));
        assertEquals(2, s.read());
        assertEquals(2, s.written());
        List<Row> rows = spark.read().json(out).orderBy("id").collectAsList();
        assertEquals("Aspirin and asthma.", rows.get(0).getAs("title"));
        assertEquals("Lithium toxicity.", rows.get(1).getAs("text"));
    }

    /** Generated text of a relation task for one document, straight through core, the prompt cut by hand to fit. */
    private static String directRelationText(String taskName, String title, String text, int newTokens) {
        org.biogpt.spark.core.task.TaskDefinition task = org.biogpt.spark.core.task.TaskDefinitions.builtIn(taskName);
        BioGptTokenizer tok = BioGptTokenizer.load(model);
        Map<String, String> fields = Map.of("title", title, "abstract", text);
        org.biogpt.spark.core.task.Prompt p = new org.biogpt.spark.core.task.PromptBuilder(task, tok).build(fields);
        int room = 128 - newTokens; // positions left for the prompt; the tiny vocabulary has no learned tokens
        if (p.ids().length > room) {
            p = new org.biogpt.spark.core.task.PromptBuilder(task.withMaxSourceTokens(room - 1), tok).build(fields);
        }
        org.biogpt.spark.core.generate.GenerationConfig config = org.biogpt.spark.core.generate.GenerationConfig.defaults()
                .withMaxNewTokens(newTokens).withEosTokenIds(2).withPadTokenId(1).withBosTokenId(0);
        try (org.biogpt.spark.core.model.BioGptModel m = org.biogpt.spark.core.model.BioGptModel.load(model);
             org.biogpt.spark.core.generate.BioGptStepModel step = new org.biogpt.spark.core.generate.BioGptStepModel(m)) {
            int[] tokens = new org.biogpt.spark.core.generate.Generator(step).generate(List.of(p.ids()), config).get(0)
                    .best().tokens();
            return tok.decode(tokens, true);
        }
    }

    @Test
    void relationsAndQaTasksAddTypedColumnsNextToTheOthers(@TempDir Path dir) throws IOException {
        Path fixtures = model.getParent();
        Path input = dir.resolve("in.jsonl");
        Map<String, String[]> docs = new java.util.LinkedHashMap<>();
        golden.get("texts").forEach(t -> {
            String text = t.get("text").asText();
            if (!text.isBlank() && docs.size() < 6) {
                docs.put(t.get("id").asText(), new String[] {"Title " + docs.size(), text});
            }
        });
        docs.put("long", new String[] {"A long one", golden.get("texts").get(60).get("text").asText()});
        try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (var e : docs.entrySet()) {
                w.write(JSON.writeValueAsString(Map.of("id", e.getKey(), "title", e.getValue()[0], "text", e.getValue()[1]))
                        + "\n");
            }
        }
        String out = dir.resolve("out").toString();
        EnrichModels models = EnrichModels.parse(List.of(model.toString(),
                "entities=" + fixtures.resolve("token-classification"),
                "classify=" + fixtures.resolve("sequence-classification")));
        EnrichSummary s = new EnrichJob(List.of(input.toString()), CorpusFormat.JSONL, out, "parquet", models,
                EnrichTask.parseList("relations:bc5cdr,entities,classify,embed,qa"), 4, WriteMode.ERROR,
                "Does the chemical induce the disease?", 16).run(spark, BioGptConfig.load(model), BioGptTokenizer.load(model));
        assertEquals(docs.size(), s.written());
        assertTrue(s.balanced());
        org.apache.spark.sql.Dataset<Row> df = spark.read().parquet(out);
        assertEquals(List.of("id", "title", "text", "token_count", "exceeds_max_positions", "version", "journal", "year",
                "mesh", "abstract_source", "input_file", "question", "relations_bc5cdr", "relations_bc5cdr_error", "entities", "entities_error", "classification",
                "classification_error", "embedding", "embedding_error", "answer", "answer_error"), List.of(df.columns()));
        for (Row r : df.collectAsList()) {
            String id = r.getAs("id");
            String[] doc = docs.get(id);
            assertTrue(r.isNullAt(r.fieldIndex("relations_bc5cdr_error")), id);
            Row rel = r.getAs("relations_bc5cdr");
            assertEquals(directRelationText("bc5cdr", doc[0], doc[1], 16), rel.getAs("generated"), id);
            assertEquals(id.equals("long"), (boolean) rel.getAs("truncated"), id);
            assertTrue(r.isNullAt(r.fieldIndex("answer_error")), id);
            Row answer = r.getAs("answer");
            Map<String, Double> p = answer.getJavaMap(answer.fieldIndex("probabilities"));
            assertEquals(List.of("yes", "no", "maybe"), List.copyOf(p.keySet()));
            assertEquals(1.0, p.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
            assertEquals("Does the chemical induce the disease?", r.getAs("question"));
        }
    }

    @Test
    void relationAndQaTaskProblemsAreRejectedBeforeAnyWork() {
        assertTrue(assertRejected(() -> EnrichTask.parseList("relations:chemprot")).contains("unknown task 'chemprot'"));
        assertTrue(assertRejected(() -> EnrichTask.parseList("relations")).contains("relations:bc5cdr"));
        assertTrue(assertRejected(() -> EnrichTask.parseList("relations:pubmedqa")).contains("not a relation task"));
        assertTrue(assertRejected(() -> EnrichTask.parseList("qa:x")).contains("takes no ':' argument"));
        assertTrue(assertRejected(() -> new EnrichJob(List.of("x"), CorpusFormat.JSONL, "out", "parquet",
                EnrichModels.parse(List.of(model.toString())), EnrichTask.parseList("qa"), 8, WriteMode.ERROR, null, 16))
                .contains("--question"));
        assertEquals("relations_kd_dti", EnrichTask.parseList("Relations:kd-dti").get(0).column());
        EnrichModels models = EnrichModels.parse(List.of("base", "relations=re-model", "relations:ddi=ddi-model"));
        assertEquals("re-model", models.forTask(new EnrichTask("relations:bc5cdr")));
        assertEquals("ddi-model", models.forTask(new EnrichTask("relations:ddi")));
        assertEquals("base", models.forTask(new EnrichTask("qa")));
    }

    private static String assertRejected(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call).getMessage();
    }
}
