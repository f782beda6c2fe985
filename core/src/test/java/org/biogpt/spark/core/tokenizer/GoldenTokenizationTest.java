package org.biogpt.spark.core.tokenizer;

import static org.biogpt.spark.core.Fixtures.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every entry of golden.json "tokenization" (Hugging Face transformers 4.40.2 + sacremoses 0.1.1). */
class GoldenTokenizationTest {
    private static BioGptTokenizer tokenizer;
    private static Map<String, String> texts;

    @BeforeAll
    static void load() {
        tokenizer = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        texts = new HashMap<>();
        for (JsonNode text : Fixtures.golden().get("texts")) {
            texts.put(text.get("id").asText(), text.get("text").asText());
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    private static Stream<JsonNode> entries() {
        List<JsonNode> entries = new ArrayList<>();
        Fixtures.golden().get("tokenization").forEach(entries::add);
        return entries.stream();
    }

    @Test
    void goldenHasAllSixtyTwoEntries() {
        assertEquals(62, Fixtures.golden().get("tokenization").size());
    }

    @TestFactory
    Stream<DynamicTest> mosesStepMatchesReferenceMosesTokens() {
        MosesTokenizer moses = new MosesTokenizer();
        return entries().map(e -> DynamicTest.dynamicTest(e.get("id").asText(), () -> {
            String text = texts.get(e.get("id").asText());
            // The golden Moses tokens come from the whole text; skip texts with literal specials.
            if (!text.contains("<")) {
                assertEquals(strings(e.get("moses_tokens")), moses.tokenize(text));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> idsAndTokensMatchReference() {
        return entries().map(e -> DynamicTest.dynamicTest(e.get("id").asText(), () -> {
            String text = texts.get(e.get("id").asText());
            Encoding encoding = tokenizer.encode(text);
            assertArrayEquals(ints(e.get("input_ids")), encoding.ids(), "input_ids");
            assertEquals(strings(e.get("tokens")), List.of(encoding.tokens()), "tokens");
            assertArrayEquals(ints(e.get("input_ids")), tokenizer.encodeIds(text), "encodeIds");
        }));
    }

    @TestFactory
    Stream<DynamicTest> decodedFormsMatchReference() {
        return entries().map(e -> DynamicTest.dynamicTest(e.get("id").asText(), () -> {
            int[] ids = ints(e.get("input_ids"));
            assertEquals(e.get("decoded").asText(), tokenizer.decode(ids, true), "decoded");
            assertEquals(e.get("decoded_keep_special").asText(), tokenizer.decode(ids, false),
                    "decoded_keep_special");
            assertEquals(e.get("decoded_no_cleanup").asText(), tokenizer.decode(ids, true, false),
                    "decoded_no_cleanup");
        }));
    }

    @TestFactory
    Stream<DynamicTest> truncationKeepsFirstIdsIncludingBos() {
        return entries().filter(e -> e.has("truncated_input_ids")).map(e ->
                DynamicTest.dynamicTest(e.get("id").asText(), () -> {
                    int[] expected = ints(e.get("truncated_input_ids"));
                    Encoding encoding = tokenizer.encode(texts.get(e.get("id").asText()));
                    assertArrayEquals(expected, encoding.truncate(expected.length).ids());
                    int maxLength = Fixtures.golden().get("models").get("causal-lm")
                            .get("tokenizer_config").get("model_max_length").asInt();
                    assertArrayEquals(expected, encoding.truncate(maxLength).ids());
                }));
    }
}
