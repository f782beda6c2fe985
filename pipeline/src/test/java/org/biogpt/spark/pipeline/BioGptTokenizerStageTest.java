package org.biogpt.spark.pipeline;

import static org.biogpt.spark.core.Fixtures.golden;
import static org.biogpt.spark.core.Fixtures.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

class BioGptTokenizerStageTest {
    private static final org.biogpt.spark.core.tokenizer.BioGptTokenizer CORE = Direct.tokenizer(Fixtures.TOKEN_CLS);

    static void assertTokens(Encoding expected, Row actual) {
        List<Integer> ids = actual.getList(0);
        List<String> tokens = actual.getList(1);
        List<Row> offsets = actual.getList(2);
        assertEquals(expected.length(), actual.getInt(3));
        assertArrayEquals(expected.ids(), ids.stream().mapToInt(Integer::intValue).toArray());
        assertArrayEquals(expected.tokens(), tokens.toArray(new String[0]));
        assertArrayEquals(expected.starts(), offsets.stream().mapToInt(o -> o.getInt(0)).toArray());
        assertArrayEquals(expected.ends(), offsets.stream().mapToInt(o -> o.getInt(1)).toArray());
    }

    @Test
    void tokensEqualCoreEncodingInInputOrderWithErrorsForNullAndEmptyRows() {
        List<String> texts = Fixtures.mixedDocuments();
        List<Row> out = new BioGptTokenizer().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .transform(TestSpark.docs(texts, 3)).collectAsList();
        assertEquals(texts.size(), out.size());
        for (int i = 0; i < texts.size(); i++) {
            Row r = TestSpark.inInputOrder(out, i);
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                assertTrue(r.isNullAt(2));
                assertEquals(text == null ? "text is null" : "text is empty", r.getString(3));
            } else {
                assertTokens(CORE.encode(text), r.getStruct(2));
                assertNull(r.get(3));
            }
        }
    }

    @Test
    void tokenIdsEqualGoldenHuggingFaceIds() {
        List<String> ids = List.of("t000", "t013", "t034");
        List<String> texts = ids.stream().map(Fixtures::text).toList();
        List<Row> out = new BioGptTokenizer().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS))
                .transform(TestSpark.docs(texts, 2)).collectAsList();
        for (int i = 0; i < ids.size(); i++) {
            int[] golden = ints(Fixtures.entry(golden().get("tokenization"), ids.get(i)).get("input_ids"));
            List<Integer> actual = out.get(i).getStruct(2).getList(0);
            assertArrayEquals(golden, actual.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void maxInputTokensGivesAnErrorOrTruncates() {
        String text = Fixtures.text("t011");
        Encoding full = CORE.encode(text);
        BioGptTokenizer stage = new BioGptTokenizer().setModelPath(Fixtures.path(Fixtures.TOKEN_CLS)).setMaxInputTokens(5);
        Row error = stage.transform(TestSpark.docs(List.of(text), 1)).first();
        assertTrue(error.isNullAt(2));
        assertTrue(error.getString(3).contains(full.length() + " tokens, more than the limit of 5"), error.getString(3));
        Row truncated = stage.setTruncation("truncate").transform(TestSpark.docs(List.of(text), 1)).first();
        assertTokens(full.truncate(5), truncated.getStruct(2));
    }
}
