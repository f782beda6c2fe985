package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.biogpt.spark.udfs.sql.BioGptFunctions;
import org.biogpt.spark.udfs.sql.FunctionOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SqlFunctionsTest {
    private static final List<String> TEXTS = Fixtures.mixedDocuments();

    @BeforeAll
    static void register() {
        BioGptFunctions.register(TestSpark.session(), FunctionOptions.of(Fixtures.path(Fixtures.TOKEN_CLS))
                .withClassifierModel(Fixtures.path(Fixtures.SEQUENCE_CLS))
                .withEmbeddingModel(Fixtures.path(Fixtures.CAUSAL_LM)));
        TestSpark.docs(TEXTS, 3).createOrReplaceTempView("docs");
    }

    private static List<Row> sql(String function) {
        return TestSpark.session().sql("SELECT id, " + function + "(text) FROM docs ORDER BY id").collectAsList();
    }

    private static boolean bad(String text) {
        return text == null || text.isBlank() || text.equals(Fixtures.text("t059"));
    }

    @Test
    void tokenizeEqualsTheTokenizerStage() {
        List<Row> stage = new BioGptTokenizer().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .transform(TestSpark.docs(TEXTS, 2)).collectAsList();
        List<Row> sql = sql("biogpt_tokenize");
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(stage.get(i).get(2), sql.get(i).get(1), "row " + i);
        }
    }

    @Test
    void entitiesEqualTheEntityTagger() {
        List<Row> stage = new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .transform(TestSpark.docs(TEXTS, 2)).collectAsList();
        List<Row> sql = sql("biogpt_entities");
        for (int i = 0; i < TEXTS.size(); i++) {
            if (bad(TEXTS.get(i))) {
                assertTrue(sql.get(i).isNullAt(1));
                continue;
            }
            List<Row> expected = stage.get(i).getList(2);
            List<Row> actual = sql.get(i).getList(1);
            assertEquals(expected.size(), actual.size());
            for (int s = 0; s < expected.size(); s++) {
                for (int f = 0; f < 4; f++) {
                    assertEquals(expected.get(s).get(f), actual.get(s).get(f));
                }
                // batched (stage) vs one row (SQL): padding changes float rounding only
                assertEquals(expected.get(s).getDouble(4), actual.get(s).getDouble(4), 1e-5);
            }
        }
    }

    @Test
    void classifyEqualsTheDocumentClassifier() {
        List<Row> stage = new DocumentClassifier().setModelPath(Fixtures.path(Fixtures.SEQUENCE_CLS))
                .transform(TestSpark.docs(TEXTS, 2)).collectAsList();
        List<Row> sql = sql("biogpt_classify");
        for (int i = 0; i < TEXTS.size(); i++) {
            if (bad(TEXTS.get(i))) {
                assertTrue(sql.get(i).isNullAt(1));
                continue;
            }
            Row expected = stage.get(i).getStruct(2);
            Row actual = sql.get(i).getStruct(1);
            assertEquals(expected.getString(0), actual.getString(0));
            java.util.Map<String, Double> p = actual.getJavaMap(1);
            expected.<String, Double>getJavaMap(1).forEach((k, v) -> assertEquals(v, p.get(k), 1e-5));
        }
    }

    @Test
    void embedEqualsTheEmbedder() {
        List<Row> stage = new BioGptEmbedder().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                .transform(TestSpark.docs(TEXTS, 2)).collectAsList();
        List<Row> sql = sql("biogpt_embed");
        for (int i = 0; i < TEXTS.size(); i++) {
            if (bad(TEXTS.get(i))) {
                assertTrue(sql.get(i).isNullAt(1));
                continue;
            }
            Vector expected = (Vector) stage.get(i).get(2);
            List<Double> actual = sql.get(i).getList(1);
            assertEquals(expected.size(), actual.size());
            for (int d = 0; d < actual.size(); d++) {
                assertEquals(expected.apply(d), actual.get(d), 1e-5);
            }
        }
    }
}
