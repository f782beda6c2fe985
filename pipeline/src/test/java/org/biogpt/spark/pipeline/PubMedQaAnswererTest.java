package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.task.LabelScorer;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.Prompt;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.junit.jupiter.api.Test;

class PubMedQaAnswererTest {
    static final StructType QA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("question", DataTypes.StringType, true)
            .add("text", DataTypes.StringType, true);
    private static final TaskDefinition TASK = TaskDefinitions.builtIn("pubmedqa");
    private static final double TOL = 1e-5;

    /** Questions and contexts of mixed lengths, with null and empty ones, one pair too long for 128 positions. */
    static List<Object[]> pairs() {
        List<String> contexts = Fixtures.mixedDocuments();
        List<Object[]> rows = new ArrayList<>();
        String[] questions = {"Does aspirin reduce the risk of stroke?", "Is p53 a tumor suppressor?", null, "",
            "Do statins lower LDL cholesterol in adults?"};
        for (int i = 0; i < contexts.size(); i++) {
            rows.add(new Object[] {i, questions[i % questions.length], contexts.get(i)});
        }
        return rows;
    }

    static Dataset<Row> frame(int partitions) {
        return TestSpark.frame(QA, pairs(), partitions);
    }

    static PubMedQaAnswerer answerer() {
        return new PubMedQaAnswerer().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setBatchSize(3)
                .setMaxTokensPerBatch(250);
    }

    static boolean usable(String s) {
        return s != null && !s.isBlank();
    }

    static void assertProbabilities(LabelScorer.LabelProbabilities expected, Map<String, Double> actual, String where) {
        assertEquals(List.of("yes", "no", "maybe"), List.copyOf(actual.keySet()), where);
        double sum = 0;
        for (String label : expected.labels()) {
            assertEquals(expected.probability(label), actual.get(label), TOL, where + " " + label);
            sum += actual.get(label);
        }
        assertEquals(1.0, sum, 1e-9, where);
    }

    @Test
    void probabilitiesEqualScoringEachCompletionAloneThroughCoreInInputOrder() {
        List<Object[]> pairs = pairs();
        List<Row> out = answerer().transform(frame(3)).collectAsList();
        int answered = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Row r = TestSpark.inInputOrder(out, i);
            String q = (String) pairs.get(i)[1];
            String c = (String) pairs.get(i)[2];
            if (!usable(c) || !usable(q)) {
                assertTrue(r.isNullAt(3));
                String which = !usable(c) ? "context" : "question";
                assertEquals(which + ((!usable(c) ? c : q) == null ? " is null" : " is empty"), r.getString(4), "row " + i);
                continue;
            }
            Prompt p = TaskDirect.qaPrompt(TASK, q, c);
            // the longest completion ("... is maybe.") must fit after the prompt in 128 positions
            int longest = 0;
            LabelScorer scorer = LabelScorer.forTask(TASK, TaskDirect.tokenizer());
            for (int l = 0; l < 3; l++) {
                longest = Math.max(longest, scorer.completionIds(l).length);
            }
            if (p.ids().length > TaskDirect.POSITIONS - longest) {
                assertTrue(r.isNullAt(3), "row " + i);
                assertTrue(r.getString(4).contains("more than the limit"), r.getString(4));
                continue;
            }
            assertNull(r.get(4), "row " + i);
            LabelScorer.LabelProbabilities expected = TaskDirect.answer(TASK, p);
            Row a = r.getStruct(3);
            assertEquals(expected.best(), a.getString(0), "row " + i);
            assertProbabilities(expected, a.getJavaMap(1), "row " + i);
            assertTrue(a.isNullAt(2), "no generation by default");
            answered++;
        }
        assertTrue(answered >= 8, answered + " answered");
    }

    @Test
    void generateModeReadsTheLabelFromTheGeneratedText() {
        List<Object[]> pairs = pairs().subList(0, 6);
        List<Row> out = answerer().setGenerate(true).setMaxNewTokens(8)
                .transform(TestSpark.frame(QA, pairs, 2)).collectAsList();
        OutputParser parser = new OutputParser(TASK);
        for (int i = 0; i < pairs.size(); i++) {
            String q = (String) pairs.get(i)[1];
            String c = (String) pairs.get(i)[2];
            if (!usable(c) || !usable(q)) {
                assertTrue(out.get(i).isNullAt(3));
                continue;
            }
            Prompt p = TaskDirect.qaPrompt(TASK, q, c);
            if (p.ids().length > TaskDirect.POSITIONS - 13) {
                continue;
            }
            Row a = out.get(i).getStruct(3);
            String text = TaskDirect.decode(TaskDirect.generate(p.ids(), TaskDirect.greedy(8)));
            assertEquals(text, a.getString(2), "row " + i);
            // the random model never says "the answer to the question given the context is": "failed", as the original
            assertEquals(parser.parseLabel(text).label(), a.getString(0), "row " + i);
            assertProbabilities(TaskDirect.answer(TASK, p), a.getJavaMap(1), "row " + i);
        }
    }

    @Test
    void outputIsATypedStruct() {
        Dataset<Row> out = answerer().setQuestionCol("question").transform(frame(1));
        assertEquals("struct<label:string,probabilities:map<string,double>,text:string>",
                out.schema().apply("answer").dataType().simpleString());
        assertEquals(List.of("id", "question", "text", "answer", "answer_error"), List.of(out.columns()));
    }
}
