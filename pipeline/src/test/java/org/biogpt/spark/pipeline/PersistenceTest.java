package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
    @TempDir
    Path dir;

    /** save() takes the active session: start the local one first, whatever test runs first. */
    @BeforeAll
    static void spark() {
        TestSpark.session();
    }

    private static Dataset<Row> docs() {
        return TestSpark.docs(Fixtures.mixedDocuments(), 2);
    }

    private static <T extends BioGptStage<?>> T roundTrip(T stage, Path where, java.util.function.Function<String, T> load)
            throws IOException {
        stage.save(where.toString());
        T loaded = load.apply(where.toString());
        assertEquals(stage.uid(), loaded.uid());
        assertEquals(stage.extractParamMap().toString(), loaded.extractParamMap().toString());
        assertEquals(docs().transform(stage::transform).collectAsList(), docs().transform(loaded::transform).collectAsList());
        return loaded;
    }

    @Test
    void everyStageSavesItsParamsAndLoadsToTheSameOutput() throws IOException {
        BioGptTokenizer tok = roundTrip(new BioGptTokenizer().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .setInputCol("text").setOutputCol("toks").setMaxInputTokens(12).setTruncation("truncate"),
                dir.resolve("tokenizer"), BioGptTokenizer::load);
        assertEquals(12, tok.getMaxInputTokens());
        assertEquals("toks_error", tok.getErrorCol());

        EntityTagger tagger = roundTrip(new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .setBatchSize(3).setMaxTokensPerBatch(77).setDevice("auto").setNumThreads(1).setErrorCol("why"),
                dir.resolve("tagger"), EntityTagger::load);
        assertEquals(3, tagger.getBatchSize());
        assertEquals(77, tagger.getMaxTokensPerBatch());
        assertEquals("auto", tagger.getDevice());
        assertEquals("why", tagger.getErrorCol());

        DocumentClassifier cls = roundTrip(new DocumentClassifier().setModelPath(Fixtures.path(Fixtures.SEQUENCE_CLS))
                .setOutputCol("label"), dir.resolve("classifier"), DocumentClassifier::load);
        assertEquals(Fixtures.path(Fixtures.SEQUENCE_CLS), cls.getModelPath());

        BioGptEmbedder emb = roundTrip(new BioGptEmbedder().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                .setPooling("last"), dir.resolve("embedder"), BioGptEmbedder::load);
        assertEquals("last", emb.getPooling());
    }

    private static <T extends BioGptStage<?>> T roundTripOn(T stage, Dataset<Row> data, Path where,
                                                         java.util.function.Function<String, T> load) throws IOException {
        stage.save(where.toString());
        T loaded = load.apply(where.toString());
        assertEquals(stage.uid(), loaded.uid());
        assertEquals(stage.extractParamMap().toString(), loaded.extractParamMap().toString());
        List<Row> before = stage.transform(data).collectAsList();
        assertEquals(before, loaded.transform(data).collectAsList());
        assertTrue(before.stream().anyMatch(r -> !r.isNullAt(r.length() - 2)), "some rows have results");
        return loaded;
    }

    @Test
    void generatingStagesSaveTheirTaskAndDecodingParams() throws IOException {
        RelationExtractor re = roundTripOn(new RelationExtractor().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                .setTask(RelationExtractorTest.ANY_WORDS_TASK).setTitleCol("title").setMaxNewTokens(6).setNumBeams(2)
                .setLengthPenalty(0.8).setEarlyStopping("never").setNoRepeatNgramSize(2).setTruncation("truncate"),
                RelationExtractorTest.frame(2), dir.resolve("relations"), RelationExtractor::load);
        assertEquals(RelationExtractorTest.ANY_WORDS_TASK, re.getTask());
        assertEquals("title", re.getTitleCol());
        assertEquals(2, re.getNumBeams());
        assertEquals(0.8, re.getLengthPenalty());
        assertEquals("never", re.getEarlyStopping());

        PubMedQaAnswerer qa = roundTripOn(new PubMedQaAnswerer().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                .setGenerate(true).setMaxNewTokens(5).setOutputCol("qa"),
                PubMedQaAnswererTest.frame(2), dir.resolve("qa"), PubMedQaAnswerer::load);
        assertTrue(qa.getGenerate());
        assertEquals("text", qa.getInputCol());
        assertEquals("qa_error", qa.getErrorCol());

        TextGenerator gen = roundTripOn(new TextGenerator().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                .setInputCol("text").setMaxNewTokens(7).setDoSample(true).setTopP(0.9).setTopK(0).setSeed(7)
                .setTemperature(1.3).setRepetitionPenalty(1.2).setMinNewTokens(3),
                docs(), dir.resolve("generator"), TextGenerator::load);
        assertEquals(7L, gen.getSeed());
        assertEquals(0.9, gen.getTopP());
        assertEquals(3, gen.getMinNewTokens());

        EntityTagger tagger = roundTripOn(new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .setAggregationStrategy("max"), docs(), dir.resolve("tagger-max"), EntityTagger::load);
        assertEquals("max", tagger.getAggregationStrategy());
    }

    @Test
    void threeStagePipelineWithARelationExtractorSavesAndLoads() throws IOException {
        Dataset<Row> data = RelationExtractorTest.frame(2);
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
            new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS)).setAggregationStrategy("first"),
            new RelationExtractor().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setTask("ddi").setMaxNewTokens(8),
            new TextGenerator().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setInputCol("title").setMaxNewTokens(4),
        }).fit(data);
        List<Row> before = model.transform(data).collectAsList();
        model.save(dir.resolve("pipeline3").toString());
        PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline3").toString());
        assertInstanceOf(EntityTagger.class, loaded.stages()[0]);
        assertInstanceOf(RelationExtractor.class, loaded.stages()[1]);
        assertInstanceOf(TextGenerator.class, loaded.stages()[2]);
        assertEquals("ddi", ((RelationExtractor) loaded.stages()[1]).getTask());
        assertEquals(before, loaded.transform(data).collectAsList());
        assertEquals(List.of("id", "title", "text", "entities", "entities_error", "relations", "relations_error",
                "generated", "generated_error"), List.of(loaded.transform(data).columns()));
    }

    @Test
    void savedStagesHoldTheModelPathNotTheWeights() throws IOException {
        new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS)).save(dir.resolve("tagger").toString());
        try (Stream<Path> files = Files.walk(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().contains("safetensors")
                    || f.getFileName().toString().endsWith(".bin")));
        }
        try (Stream<Path> files = Files.walk(dir)) {
            long size = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            assertEquals(true, size < 10_000, "metadata only, " + size + " bytes");
        }
    }

    @Test
    void threeStagePipelineModelSavesAndLoads() throws IOException {
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
            new BioGptTokenizer().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS)),
            new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS)).setBatchSize(4),
            new DocumentClassifier().setModelPath(Fixtures.path(Fixtures.SEQUENCE_CLS)),
        }).fit(docs());
        List<Row> before = model.transform(docs()).collectAsList();
        model.save(dir.resolve("pipeline").toString());
        PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline").toString());
        assertEquals(3, loaded.stages().length);
        assertInstanceOf(BioGptTokenizer.class, loaded.stages()[0]);
        assertInstanceOf(EntityTagger.class, loaded.stages()[1]);
        assertInstanceOf(DocumentClassifier.class, loaded.stages()[2]);
        assertEquals(4, ((EntityTagger) loaded.stages()[1]).getBatchSize());
        List<Row> after = loaded.transform(docs()).collectAsList();
        assertEquals(before, after);
        assertEquals(List.of("id", "text", "tokens", "tokens_error", "entities", "entities_error", "classification",
                "classification_error"), List.of(loaded.transform(docs()).columns()));
    }
}
