package org.biogpt.spark.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.Prompt;
import org.biogpt.spark.core.task.PromptBuilder;
import org.biogpt.spark.core.task.RegexBudgetExceededException;
import org.biogpt.spark.core.task.Relation;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RelationExtractorTest {
    static final StructType DOCS = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("title", DataTypes.StringType, true)
            .add("text", DataTypes.StringType, true);
    private static final int NEW_TOKENS = 12;

    /**
     * A custom relation task whose pattern matches any clause of three or more words, so that the
     * tiny random model's text yields triples: head = word 1, tail = word 2, relation = the rest.
     */
    static final String ANY_WORDS_TASK = "{\"name\": \"any-words\", \"kind\": \"RELATION_EXTRACTION\","
            + " \"source_template\": \"{abstract}\", \"lowercase\": true, \"learned_prompt_length\": 0,"
            + " \"max_source_tokens\": 640, \"clause_separator\": \"; \", \"answer_pattern\": \"(\\\\S+) (\\\\S+) (.+)\","
            + " \"anchored\": true, \"target_template\": \"{head} {tail} {relation}\", \"target_separator\": \"; \","
            + " \"relation_schema\": {\"head_type\": \"gene\", \"tail_type\": \"word\", \"head_group\": 1,"
            + " \"tail_group\": 2, \"relation_group\": 3}}";

    static List<Object[]> docs() {
        List<String> texts = Fixtures.mixedDocuments();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            // titles on some rows (one ends in punctuation), null on others
            String title = i % 3 == 0 ? "Title of document " + i : i % 3 == 1 ? null : "Is it a question?";
            rows.add(new Object[] {i, title, texts.get(i)});
        }
        return rows;
    }

    static Dataset<Row> frame(int partitions) {
        return TestSpark.frame(DOCS, docs(), partitions);
    }

    static RelationExtractor extractor() {
        return new RelationExtractor().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM)).setTitleCol("title")
                .setMaxNewTokens(NEW_TOKENS).setBatchSize(4).setMaxTokensPerBatch(300);
    }

    static void assertRelations(TaskDirect.Expected e, Row actual, String where) {
        assertEquals(e.generated(), actual.getString(2), where + " generated");
        assertEquals(e.output().unparsed(), actual.getList(1), where + " unparsed");
        assertEquals(e.truncated(), actual.getBoolean(3), where + " truncated");
        List<Row> rel = actual.getList(0);
        assertEquals(e.output().relations().size(), rel.size(), where + " relations");
        for (int k = 0; k < rel.size(); k++) {
            Relation x = e.output().relations().get(k);
            Row r = rel.get(k);
            assertEquals(List.of(x.head(), x.headType(), x.relation(), x.tail(), x.tailType(), x.headStart(), x.headEnd(),
                    x.tailStart(), x.tailEnd()), List.of(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5),
                    r.get(6), r.get(7), r.get(8)), where + " relation " + k);
        }
    }

    @Test
    void bc5cdrRelationsEqualOneDocumentAtATimeCoreCallsInInputOrder() {
        TaskDefinition task = TaskDefinitions.builtIn("bc5cdr");
        List<Object[]> docs = docs();
        List<Row> out = extractor().transform(frame(3)).collectAsList();
        assertEquals(docs.size(), out.size());
        int ok = 0;
        for (int i = 0; i < docs.size(); i++) {
            Row r = TestSpark.inInputOrder(out, i);
            String title = (String) docs.get(i)[1];
            String text = (String) docs.get(i)[2];
            if (text == null || text.isBlank()) {
                assertTrue(r.isNullAt(3));
                assertEquals(text == null ? "abstract is null" : "abstract is empty", r.getString(4));
                continue;
            }
            Prompt prompt = TaskDirect.relationPrompt(task, text, title, NEW_TOKENS);
            if (prompt == null) {
                assertTrue(r.isNullAt(3), "row " + i + " does not fit 128 positions");
                assertTrue(r.getString(4).contains("more than the limit of " + (128 - NEW_TOKENS)), r.getString(4));
                continue;
            }
            assertNull(r.get(4), "row " + i);
            assertRelations(TaskDirect.relations(task, prompt, text, TaskDirect.greedy(NEW_TOKENS)), r.getStruct(3),
                    "row " + i);
            ok++;
        }
        assertTrue(ok >= 10, ok + " rows generated");
    }

    @Test
    void customTaskDefinitionGivesTypedTriplesWithSpansInTheText() {
        TaskDefinition task = TaskDefinitions.resolve(ANY_WORDS_TASK);
        List<Row> out = extractor().setTask(ANY_WORDS_TASK).setMaxNewTokens(20).transform(frame(2)).collectAsList();
        int[] triples = {0};
        forEachPromptedRow(task, out, (i, r, prompt, text) -> {
            TaskDirect.Expected e = TaskDirect.relations(task, prompt, text, TaskDirect.greedy(20));
            assertRelations(e, r.getStruct(3), "row " + i);
            triples[0] += e.output().relations().size();
        });
        assertTrue(triples[0] > 5, "the any-words pattern reads triples from the random model's text: " + triples[0]);
    }

    /** One output row, the untitled prompt of its document with room for 20 new tokens, and the document's text. */
    interface PromptedRow {
        void check(int i, Row r, Prompt prompt, String text);
    }

    /** Checks each row whose document has a prompt that fits; every other row must have no result. */
    private static void forEachPromptedRow(TaskDefinition task, List<Row> out, PromptedRow check) {
        List<Object[]> docs = docs();
        assertEquals(docs.size(), out.size(), "rows in = rows out");
        for (int i = 0; i < docs.size(); i++) {
            Row r = out.get(i);
            String text = (String) docs.get(i)[2];
            Prompt prompt = text == null || text.isBlank() ? null : TaskDirect.relationPrompt(task, text, null, 20);
            if (prompt == null) {
                assertTrue(r.isNullAt(3), "row " + i);
            } else {
                check.check(i, r, prompt, text);
            }
        }
    }

    /** A task whose answer_pattern backtracks catastrophically: the rows it chokes on fail with the reason, the rest parse. */
    @Test
    @Timeout(900) // a guard against the hang itself, not a measurement
    void aCatastrophicAnswerPatternFailsItsRowsWithTheReasonInsteadOfHangingTheTask() {
        String hostile = "{\"name\": \"hostile\", \"kind\": \"RELATION_EXTRACTION\", \"source_template\": \"{abstract}\","
                + " \"lowercase\": true, \"learned_prompt_length\": 0, \"max_source_tokens\": 640, \"clause_separator\": \"; \","
                + " \"answer_pattern\": \"(.*)(.*)(.*)(.*)(.*)(.*)(.*)(.*)!\", \"anchored\": true,"
                + " \"relation_schema\": {\"head_type\": \"a\", \"tail_type\": \"b\", \"head_group\": 1, \"tail_group\": 2,"
                + " \"relation_group\": 3}}";
        TaskDefinition task = TaskDefinitions.resolve(hostile);
        List<Row> out = extractor().setTask(hostile).setMaxNewTokens(20).transform(frame(2)).collectAsList();
        int[] failed = {0};
        forEachPromptedRow(task, out, (i, r, prompt, text) -> {
            String generated = TaskDirect.decode(TaskDirect.generate(prompt.ids(), TaskDirect.greedy(20)));
            try {
                new OutputParser(task).parseRelations(generated, text);
                assertNull(r.get(4), "row " + i + " parses within the budget");
            } catch (RegexBudgetExceededException expected) {
                assertTrue(r.isNullAt(3), "row " + i);
                assertTrue(r.getString(4).contains("answer_pattern read more than"), r.getString(4));
                failed[0]++;
            }
        });
        assertTrue(failed[0] > 0, "the random model's outputs are long enough to trip the budget");
    }

    @Test
    void truncateCutsTheSourceWithTheOriginalEllipsisToLeaveRoomForGeneration() {
        TaskDefinition task = TaskDefinitions.builtIn("ddi");
        String text = Fixtures.text("t060"); // far over 128 tokens
        Row r = extractor().setTask("ddi").setTruncation("truncate")
                .transform(TestSpark.frame(DOCS, List.<Object[]>of(new Object[] {0, null, text}), 1)).first();
        assertNull(r.get(4));
        // by hand: 128 positions - 12 new tokens = 116 prompt ids = </s> + 115 source pieces (the last one "...")
        Prompt cut = new PromptBuilder(task.withMaxSourceTokens(115), TaskDirect.tokenizer())
                .build(java.util.Map.of("abstract", text));
        assertEquals(116, cut.ids().length);
        assertTrue(cut.truncated());
        assertRelations(TaskDirect.relations(task, cut, text, TaskDirect.greedy(NEW_TOKENS)), r.getStruct(3), "t060");
        assertTrue(r.getStruct(3).getBoolean(3));
    }

    @Test
    void beamSearchParamsReachTheGenerator() {
        TaskDefinition task = TaskDefinitions.builtIn("kd-dti");
        List<String> ids = List.of("t000", "t013", "t026", "t005");
        List<Object[]> docs = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            docs.add(new Object[] {i, "A title", Fixtures.text(ids.get(i))});
        }
        List<Row> out = extractor().setTask("kd-dti").setNumBeams(3).setNoRepeatNgramSize(2).setLengthPenalty(0.5)
                .setEarlyStopping("true").transform(TestSpark.frame(DOCS, docs, 2)).collectAsList();
        var config = TaskDirect.greedy(NEW_TOKENS).withNumBeams(3).withNoRepeatNgramSize(2).withLengthPenalty(0.5)
                .withEarlyStopping(org.biogpt.spark.core.generate.EarlyStopping.TRUE);
        boolean differsFromGreedy = false;
        for (int i = 0; i < docs.size(); i++) {
            String text = (String) docs.get(i)[2];
            Prompt p = TaskDirect.relationPrompt(task, text, "A title", NEW_TOKENS);
            assertRelations(TaskDirect.relations(task, p, text, config), out.get(i).getStruct(3), "row " + i);
            differsFromGreedy |= !TaskDirect.relations(task, p, text, TaskDirect.greedy(NEW_TOKENS)).generated()
                    .equals(out.get(i).getStruct(3).getString(2));
        }
        assertTrue(differsFromGreedy, "beam search changes at least one output");
    }

    @Test
    void outputColumnsAreTyped() {
        Dataset<Row> out = extractor().transform(frame(1));
        assertEquals(List.of("id", "title", "text", "relations", "relations_error"), List.of(out.columns()));
        assertFalse(out.schema().apply("relations").dataType().simpleString().contains("\"")); // struct, not JSON
        assertEquals("struct<relations:array<struct<head:string,head_type:string,relation:string,tail:string,"
                + "tail_type:string,head_start:int,head_end:int,tail_start:int,tail_end:int>>,unparsed:array<string>,"
                + "generated:string,truncated:boolean>", out.schema().apply("relations").dataType().simpleString());
    }

    @Test
    void maxNewTokensThatLeaveNoRoomForAPromptFailOnTheDriverNamingTheModelsPositions() {
        RelationExtractor stage = extractor().setMaxNewTokens(127); // the fixture has 128 positions
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> stage.transform(frame(1)));
        assertTrue(e.getMessage().contains("param maxNewTokens is 127 but model '" + Fixtures.path(Fixtures.CAUSAL_LM)
                + "' has 128 positions, prompt included: set maxNewTokens to at most 126"), e.getMessage());
        // the default leaves room: the stage runs with it on this 128-position model
        assertEquals(docs().size(), new RelationExtractor().setModelPath(Fixtures.path(Fixtures.CAUSAL_LM))
                .setTitleCol("title").setTruncation("truncate").transform(frame(2)).count());
    }
}
