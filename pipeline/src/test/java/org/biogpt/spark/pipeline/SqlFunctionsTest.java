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
    private static final int NEW_TOKENS = 16;

    @BeforeAll
    static void register() {
        BioGptFunctions.register(TestSpark.session(), FunctionOptions.of(Fixtures.path(Fixtures.TOKEN_CLS))
                .withModel("classify", Fixtures.path(Fixtures.SEQUENCE_CLS))
                .withModel("embed", Fixtures.path(Fixtures.CAUSAL_LM))
                .withModel("relations", Fixtures.path(Fixtures.CAUSAL_LM))
                .withModel("answer", Fixtures.path(Fixtures.CAUSAL_LM))
                .withMaxNewTokens(NEW_TOKENS));
        TestSpark.docs(TEXTS, 3).createOrReplaceTempView("docs");
        PubMedQaAnswererTest.frame(3).createOrReplaceTempView("qa");
    }

    private static List<Row> sql(String function) {
        return TestSpark.session().sql("SELECT id, " + function + "(text) FROM docs ORDER BY id").collectAsList();
    }

    /** A function's struct<result, error>: the result. */
    private static Object result(Row sqlRow) {
        return sqlRow.getStruct(1).get(0);
    }

    /** A function's struct<result, error>: the error, which must be the stage's reason for the row. */
    private static void assertSameError(Row stageRow, int stageErrorIndex, Row sqlRow, String where) {
        assertEquals(stageRow.get(stageErrorIndex), sqlRow.getStruct(1).get(1), where);
        assertEquals(stageRow.isNullAt(stageErrorIndex), sqlRow.getStruct(1).get(1) == null, where);
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
            assertEquals(stage.get(i).get(2), result(sql.get(i)), "row " + i);
            assertSameError(stage.get(i), 3, sql.get(i), "row " + i);
        }
    }

    @Test
    void entitiesEqualTheEntityTagger() {
        List<Row> stage = new EntityTagger().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .transform(TestSpark.docs(TEXTS, 2)).collectAsList();
        List<Row> sql = sql("biogpt_entities");
        for (int i = 0; i < TEXTS.size(); i++) {
            assertSameError(stage.get(i), 3, sql.get(i), "row " + i);
            if (bad(TEXTS.get(i))) {
                assertTrue(result(sql.get(i)) == null);
                continue;
            }
            List<Row> expected = stage.get(i).getList(2);
            List<Row> actual = sql.get(i).getStruct(1).getList(0);
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
            assertSameError(stage.get(i), 3, sql.get(i), "row " + i);
            if (bad(TEXTS.get(i))) {
                assertTrue(result(sql.get(i)) == null);
                continue;
            }
            Row expected = stage.get(i).getStruct(2);
            Row actual = (Row) result(sql.get(i));
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
            assertSameError(stage.get(i), 3, sql.get(i), "row " + i);
            if (bad(TEXTS.get(i))) {
                assertTrue(result(sql.get(i)) == null);
                continue;
            }
            Vector expected = (Vector) stage.get(i).get(2);
            Vector actual = (Vector) result(sql.get(i)); // the stage's type, not an array
            assertEquals(expected.size(), actual.size());
            for (int d = 0; d < actual.size(); d++) {
                assertEquals(expected.apply(d), actual.apply(d), 1e-5);
            }
        }
    }

    @Test
    void relationsEqualTheRelationExtractorForEachTask() {
        for (String task : List.of("ddi", "bc5cdr")) {
            List<Row> stage = new RelationExtractor().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setTask(task)
                    .setMaxNewTokens(NEW_TOKENS).transform(TestSpark.docs(TEXTS, 2)).collectAsList();
            List<Row> sql = TestSpark.session().sql("SELECT id, biogpt_relations(text, '" + task + "') FROM docs ORDER BY id")
                    .collectAsList();
            int results = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                // same struct, or a null result and the stage's reason
                assertEquals(stage.get(i).get(2), result(sql.get(i)), task + " row " + i);
                assertSameError(stage.get(i), 3, sql.get(i), task + " row " + i);
                assertEquals(stage.get(i).isNullAt(2), stage.get(i).get(3) != null);
                results += result(sql.get(i)) == null ? 0 : 1;
            }
            assertTrue(results >= 10, task + ": " + results);
        }
    }

    @Test
    void unknownTaskInSqlFailsNamingIt() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> TestSpark.session()
                .sql("SELECT biogpt_relations(text, 'chemprot') FROM docs").collectAsList());
        Throwable t = e;
        boolean named = false;
        while (t != null) {
            named |= String.valueOf(t.getMessage()).contains("unknown task 'chemprot'");
            t = t.getCause();
        }
        assertTrue(named, e.toString());
    }

    @Test
    void answerEqualsThePubMedQaAnswerer() {
        List<Row> stage = new PubMedQaAnswerer().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                .transform(PubMedQaAnswererTest.frame(2)).collectAsList();
        List<Row> sql = TestSpark.session().sql("SELECT id, biogpt_answer(question, text) FROM qa ORDER BY id")
                .collectAsList();
        int answered = 0;
        for (int i = 0; i < stage.size(); i++) {
            assertSameError(stage.get(i), 4, sql.get(i), "row " + i);
            if (stage.get(i).isNullAt(3)) {
                assertTrue(result(sql.get(i)) == null, "row " + i);
                continue;
            }
            Row expected = stage.get(i).getStruct(3);
            Row actual = (Row) result(sql.get(i));
            assertEquals(expected.getString(0), actual.getString(0), "row " + i);
            java.util.Map<String, Double> p = actual.getJavaMap(1);
            expected.<String, Double>getJavaMap(1).forEach((k, v) -> assertEquals(v, p.get(k), 1e-5));
            assertTrue(actual.isNullAt(2));
            answered++;
        }
        assertTrue(answered >= 8);
    }
}
