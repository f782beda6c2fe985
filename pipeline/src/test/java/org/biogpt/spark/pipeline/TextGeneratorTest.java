package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.biogpt.spark.core.generate.GeneratedSequence;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.biogpt.spark.udfs.device.Device;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelLease;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.junit.jupiter.api.Test;

class TextGeneratorTest {
    private static final int NEW = 10;

    private static TextGenerator generator() {
        return new TextGenerator().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setInputCol("text")
                .setMaxNewTokens(NEW).setBatchSize(4).setMaxTokensPerBatch(256);
    }

    private static void assertGenerated(GeneratedSequence expected, Row actual, String where) {
        assertEquals(TaskDirect.decode(expected), actual.getString(0), where);
        assertEquals(expected.tokens().length, actual.getInt(1), where);
        assertEquals(expected.score(), actual.getDouble(2), 1e-4, where);
        assertEquals(expected.stopReason().name().toLowerCase(Locale.ROOT), actual.getString(3), where);
    }

    private static int[] ids(String text) {
        return TaskDirect.tokenizer().encode(text).ids();
    }

    @Test
    void greedyContinuationsEqualOnePromptAtATimeCoreCallsInInputOrder() {
        List<String> texts = Fixtures.mixedDocuments();
        List<Row> out = generator().transform(TestSpark.docs(texts, 3)).collectAsList();
        int generated = 0;
        for (int i = 0; i < texts.size(); i++) {
            Row r = out.get(i);
            assertEquals(i, r.getInt(0));
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                assertTrue(r.isNullAt(2));
                assertEquals(text == null ? "prompt is null" : "prompt is empty", r.getString(3));
                continue;
            }
            int[] prompt = ids(text);
            if (prompt.length > 128 - NEW) {
                assertTrue(r.isNullAt(2));
                assertTrue(r.getString(3).contains("more than the limit of 118"), r.getString(3));
                continue;
            }
            assertNull(r.get(3), "row " + i);
            assertGenerated(TaskDirect.generate(prompt, TaskDirect.greedy(NEW)), r.getStruct(2), "row " + i);
            generated++;
        }
        assertTrue(generated >= 10);
    }

    @Test
    void beamSearchAndSamplingParamsAreHonoured() {
        List<String> texts = List.of(Fixtures.text("t000"), Fixtures.text("t026"), Fixtures.text("t013"));
        List<Row> beams = generator().setNumBeams(4).setLengthPenalty(1.5).setNoRepeatNgramSize(3)
                .transform(TestSpark.docs(texts, 2)).collectAsList();
        List<Row> sampled = generator().setDoSample(true).setTopK(20).setTemperature(0.7).setSeed(42)
                .transform(TestSpark.docs(texts, 2)).collectAsList();
        GenerationConfig beam = TaskDirect.greedy(NEW).withNumBeams(4).withLengthPenalty(1.5).withNoRepeatNgramSize(3);
        GenerationConfig sample = TaskDirect.greedy(NEW).withDoSample(true).withTopK(20).withTemperature(0.7).withSeed(42);
        for (int i = 0; i < texts.size(); i++) {
            assertGenerated(TaskDirect.generate(ids(texts.get(i)), beam), beams.get(i).getStruct(2), "beam row " + i);
            assertGenerated(TaskDirect.generate(ids(texts.get(i)), sample), sampled.get(i).getStruct(2), "sample row " + i);
        }
    }

    @Test
    void truncateKeepsTheFirstTokensThatLeaveRoomForTheNewOnes() {
        String text = Fixtures.text("t059");
        Row r = generator().setTruncation("truncate").transform(TestSpark.docs(List.of(text), 1)).first();
        Encoding cut = TaskDirect.tokenizer().encode(text).truncate(118);
        assertGenerated(TaskDirect.generate(cut.ids(), TaskDirect.greedy(NEW)), r.getStruct(2), "t059");
    }

    @Test
    void decodeWeightsParamRunsTheStepsOnABf16PackedModel() {
        assertEquals("fp32", generator().getDecodeWeights());
        assertThrows(IllegalArgumentException.class, () -> generator().setDecodeWeights("f16"));
        List<String> texts = List.of(Fixtures.text("t000"), Fixtures.text("t026"));
        List<Row> out = generator().setDecodeWeights("bf16").transform(TestSpark.docs(texts, 1)).collectAsList();
        for (Row r : out) {
            assertNull(r.get(3), "row " + r.getInt(0));
            assertTrue(r.getStruct(2).getInt(1) > 0);
        }
        // The executor's model (this JVM's cache) is the one packed in bf16, and its decode steps ran.
        ModelLease lease = ModelCache.acquire(ModelSpec.cpu(Fixtures.path(Fixtures.CAUSAL_LM))
                .withDecodeWeights(DecodeWeights.BF16), Device.CPU);
        assertFalse(lease.loadedByThisCall(), "the stage loaded it");
        BioGptModel m = lease.model();
        assertEquals(DecodeWeights.BF16, m.options().decodeWeights());
        assertTrue(m.backend().javaSteps() > 0, "decode steps ran in Java on the bf16 panels");
    }
}
