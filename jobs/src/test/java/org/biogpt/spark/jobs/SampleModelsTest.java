package org.biogpt.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.checkpoint.SafetensorsFile;
import org.biogpt.spark.jobs.cluster.SampleCorpus;
import org.biogpt.spark.pipeline.DocumentClassifier;
import org.biogpt.spark.pipeline.EntityTagger;
import org.biogpt.spark.pipeline.PubMedQaAnswerer;
import org.biogpt.spark.pipeline.RelationExtractor;
import org.junit.jupiter.api.Test;

/**
 * The bundled tiny checkpoints have BioGPT's 1024 positions, so the stages' defaults
 * (truncation=error, maxNewTokens 64) run on the bundled abstracts; apart from the added position
 * rows they are the reference fixtures, weight for weight.
 */
class SampleModelsTest {
    private static final String POSITIONS = "biogpt.embed_positions.weight";
    private static final Map<String, String> FIXTURE_OF = Map.of("biogpt-tiny", "causal-lm",
            "biogpt-tiny-ner", "token-classification", "biogpt-tiny-cls", "sequence-classification");

    @Test
    void sampleModelsAreTheFixturesWithPositionRowsAddedUpTo1024() throws IOException {
        Path fixtures = Fixtures.tiny();
        for (Map.Entry<String, String> e : FIXTURE_OF.entrySet()) {
            Path sample = SampleCorpus.model(e.getKey());
            assertEquals(1024, new ObjectMapper().readTree(sample.resolve("config.json").toFile())
                    .get("max_position_embeddings").asInt(), e.getKey());
            try (SafetensorsFile s = SafetensorsFile.open(sample.resolve("model.safetensors"));
                 SafetensorsFile f = SafetensorsFile.open(fixtures.resolve(e.getValue()).resolve("model.safetensors"))) {
                assertEquals(f.names(), s.names(), e.getKey());
                for (String name : f.names()) {
                    byte[] fixture = bytes(f.rawBytes(name));
                    byte[] added = bytes(s.rawBytes(name));
                    if (name.equals(POSITIONS)) {
                        assertEquals(1026, s.info(name).shape()[0], "1024 positions + BioGPT's offset of 2");
                        assertEquals(130, f.info(name).shape()[0]);
                        assertArrayEquals(fixture, java.util.Arrays.copyOf(added, fixture.length),
                                e.getKey() + ": the fixture's position rows are kept");
                    } else {
                        assertArrayEquals(fixture, added, e.getKey() + " " + name);
                    }
                }
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void stageDefaultsRunOnTheBundledAbstractsWithoutLengthErrors() {
        SparkSession spark = SparkSessions.create("sample-models-test", "local[2]", Map.of());
        try {
            Dataset<Row> docs = spark.read().json(SampleCorpus.jsonl().toString()).limit(6)
                    .withColumn("question", org.apache.spark.sql.functions.lit("Does famotidine cause delirium?"));
            String lm = SampleCorpus.model("biogpt-tiny").toString();
            Dataset<Row> out = new EntityTagger().setModelPath(SampleCorpus.model("biogpt-tiny-ner").toString())
                    .transform(docs);
            out = new DocumentClassifier().setModelPath(SampleCorpus.model("biogpt-tiny-cls").toString()).transform(out);
            out = new RelationExtractor().setModelPath(lm).setTitleCol("title").transform(out);
            out = new PubMedQaAnswerer().setModelPath(lm).transform(out);
            List<Row> rows = out.collectAsList();
            assertEquals(6, rows.size());
            List<String> errors = new ArrayList<>();
            for (Row r : rows) {
                for (String column : List.of("entities_error", "classification_error", "relations_error", "answer_error")) {
                    if (!r.isNullAt(r.fieldIndex(column))) {
                        errors.add(r.getAs("id") + " " + column + ": " + r.getAs(column));
                    }
                }
            }
            assertTrue(errors.isEmpty(), errors.toString());
            long longest = rows.stream().mapToLong(r -> ((String) r.getAs("text")).length()).max().orElse(0);
            assertTrue(longest > 1000, "the sample holds abstracts far longer than the old 128 positions");
        } finally {
            spark.stop();
        }
    }
}
