package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TransformSchemaTest {
    private static final StructType DOCS = TestSpark.DOCS;

    private static void assertFailsNaming(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    private static EntityTagger tagger() {
        return new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS));
    }

    @Test
    void outputSchemaAddsTheTypedResultAndErrorColumns() {
        assertEquals(DOCS.add("entities", OutputTypes.ENTITIES, true).add("entities_error", DataTypes.StringType, true),
                tagger().transformSchema(DOCS));
        assertEquals(DOCS.add("tokens", OutputTypes.TOKENS, true).add("tokens_error", DataTypes.StringType, true),
                new BioGptTokenizer().setModelPath("x").transformSchema(DOCS));
        assertEquals(DOCS.add("c", OutputTypes.CLASSIFICATION, true).add("c_error", DataTypes.StringType, true),
                new DocumentClassifier().setModelPath("x").setOutputCol("c").transformSchema(DOCS));
        assertEquals(DOCS.add("embedding", SQLDataTypes.VectorType(), true).add("err", DataTypes.StringType, true),
                new BioGptEmbedder().setModelPath("x").setErrorCol("err").transformSchema(DOCS));
    }

    @Test
    void missingInputColumnIsNamed() {
        assertFailsNaming(() -> tagger().setInputCol("abstract").transformSchema(DOCS),
                "input column 'abstract'", "inputCol", "does not exist", "[id, text]");
    }

    @Test
    void wrongInputTypeIsNamed() {
        assertFailsNaming(() -> tagger().setInputCol("id").transformSchema(DOCS),
                "input column 'id'", "must be of type string but is int");
    }

    @Test
    void existingOutputColumnIsRefused() {
        assertFailsNaming(() -> tagger().setOutputCol("id").transformSchema(DOCS), "output column 'id'", "outputCol");
        assertFailsNaming(() -> tagger().setErrorCol("text").transformSchema(DOCS), "output column 'text'", "errorCol");
    }

    @Test
    void unsetModelPathIsNamed() {
        assertFailsNaming(() -> new DocumentClassifier().transformSchema(DOCS), "modelPath");
    }

    @Test
    void invalidParamValuesAreRefusedWhenSet() {
        assertFailsNaming(() -> tagger().setBatchSize(0), "batchSize");
        assertFailsNaming(() -> tagger().setMaxTokensPerBatch(0), "maxTokensPerBatch");
        assertFailsNaming(() -> tagger().setMaxInputTokens(-1), "maxInputTokens");
        assertFailsNaming(() -> tagger().setNumThreads(-2), "numThreads");
        assertFailsNaming(() -> tagger().setDevice("tpu"), "device");
        assertFailsNaming(() -> tagger().setTruncation("drop"), "truncation");
        assertFailsNaming(() -> new BioGptEmbedder().setPooling("max"), "pooling");
        assertFailsNaming(() -> tagger().setModelPath(" "), "modelPath");
    }

    @Test
    void checkpointWithoutTheNeededHeadFailsBeforeAnyTask() {
        assertFailsNaming(() -> new EntityTagger().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                        .transform(TestSpark.docs(List.of("x"), 1)),
                "BioGptForTokenClassification", Fixtures.path(Fixtures.CAUSAL_LM), "BioGptForCausalLM");
        assertFailsNaming(() -> new DocumentClassifier().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                        .transform(TestSpark.docs(List.of("x"), 1)),
                "BioGptForSequenceClassification");
    }

    private static final StructType QA = PubMedQaAnswererTest.QA;
    private static final StructType TITLED = RelationExtractorTest.DOCS;

    private static RelationExtractor extractor() {
        return new RelationExtractor().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM));
    }

    @Test
    void generatingStagesAddTheirTypedColumns() {
        assertEquals(TITLED.add("relations", OutputTypes.RELATIONS, true).add("relations_error", DataTypes.StringType, true),
                extractor().setTitleCol("title").transformSchema(TITLED));
        assertEquals(QA.add("answer", OutputTypes.ANSWER, true).add("answer_error", DataTypes.StringType, true),
                new PubMedQaAnswerer().setModelPath("x").transformSchema(QA));
        assertEquals(DOCS.add("generated", OutputTypes.GENERATED, true).add("generated_error", DataTypes.StringType, true),
                new TextGenerator().setModelPath("x").setInputCol("text").transformSchema(DOCS));
    }

    @Test
    void unknownTaskIsNamed() {
        assertFailsNaming(() -> extractor().setTask("chemprot").transformSchema(DOCS),
                "RelationExtractor", "param task", "unknown task 'chemprot'", "bc5cdr");
        assertFailsNaming(() -> extractor().setTask("pubmedqa").transformSchema(DOCS),
                "param task", "'pubmedqa'", "not a relation extraction task");
        assertFailsNaming(() -> extractor().setTask("{\"name\": \"broken\"").transformSchema(DOCS),
                "param task", "not valid JSON");
        String otherField = RelationExtractorTest.ANY_WORDS_TASK.replace("{abstract}", "{abstract} {journal}");
        assertFailsNaming(() -> extractor().setTask(otherField).transformSchema(DOCS), "param task", "{journal}");
        assertFailsNaming(() -> new PubMedQaAnswerer().setModelPath("x").setTask("ddi").transformSchema(QA),
                "PubMedQaAnswerer", "param task", "not a single-label");
        assertFailsNaming(() -> new PubMedQaAnswerer().setModelPath("x").setTask("nope").transformSchema(QA),
                "param task", "unknown task 'nope'");
    }

    @Test
    void missingAndMistypedColumnsOfTheNewStagesAreNamed() {
        assertFailsNaming(() -> extractor().setTitleCol("headline").transformSchema(TITLED),
                "input column 'headline'", "titleCol", "does not exist");
        assertFailsNaming(() -> extractor().setTitleCol("id").transformSchema(TITLED),
                "input column 'id'", "titleCol", "must be of type string but is int");
        assertFailsNaming(() -> new PubMedQaAnswerer().setModelPath("x").setInputCol("context").transformSchema(DOCS),
                "input column 'context'", "inputCol", "does not exist");
        assertFailsNaming(() -> new PubMedQaAnswerer().setModelPath("x").transformSchema(DOCS),
                "input column 'question'", "questionCol", "does not exist");
        assertFailsNaming(() -> new PubMedQaAnswerer().setModelPath("x").setInputCol("text").transformSchema(DOCS),
                "input column 'question'", "questionCol", "does not exist");
        assertFailsNaming(() -> new PubMedQaAnswerer().setModelPath("x").setQuestionCol("id").transformSchema(QA),
                "input column 'id'", "questionCol", "must be of type string but is int");
        assertFailsNaming(() -> new PubMedQaAnswerer().setModelPath("x").setTask("pubmedqa-reasoning-free")
                .transformSchema(QA), "longAnswerCol");
        assertFailsNaming(() -> new TextGenerator().setModelPath("x").transformSchema(DOCS),
                "input column 'prompt'", "inputCol", "does not exist");
        assertFailsNaming(() -> new TextGenerator().setModelPath("x").setInputCol("id").transformSchema(DOCS),
                "input column 'id'", "must be of type string but is int");
    }

    @Test
    void badDecodingParamsAreNamed() {
        assertFailsNaming(() -> extractor().setMaxNewTokens(0), "maxNewTokens");
        assertFailsNaming(() -> extractor().setNumBeams(0), "numBeams");
        assertFailsNaming(() -> extractor().setEarlyStopping("sometimes"), "earlyStopping");
        assertFailsNaming(() -> extractor().setTopP(1.5), "topP");
        assertFailsNaming(() -> extractor().setTemperature(0), "temperature");
        assertFailsNaming(() -> new EntityTagger().setAggregationStrategy("mean"), "aggregationStrategy");
        // a combination generate() refuses is caught before any work
        assertFailsNaming(() -> extractor().setNumBeams(2).setDoSample(true).transformSchema(DOCS),
                "RelationExtractor", "bad decoding params");
    }

    @Test
    void generatingStagesNeedACausalLmCheckpoint() {
        assertFailsNaming(() -> extractor().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                        .transform(TestSpark.docs(List.of("x"), 1)),
                "BioGptForCausalLM", "BioGptForTokenClassification");
    }

    @Test
    void aValueOutsideAParamsChoicesIsRefusedListingTheAllowedValues() {
        assertFailsNaming(() -> extractor().setEarlyStopping("sometimes"),
                "param earlyStopping must be one of true, false, never; got 'sometimes'");
        assertFailsNaming(() -> new EntityTagger().setAggregationStrategy("mean"),
                "param aggregationStrategy must be one of none, simple, first, average, max; got 'mean'");
        assertFailsNaming(() -> tagger().setDevice("tpu"), "param device must be one of cpu, gpu, auto; got 'tpu'");
        assertFailsNaming(() -> tagger().setTruncation("cut"), "param truncation must be one of error, truncate; got 'cut'");
        assertFailsNaming(() -> new BioGptEmbedder().setPooling("max"), "param pooling must be one of mean, last; got 'max'");
    }
}
