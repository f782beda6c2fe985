package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

/** The 1000 PubMedQA sentences of tokenizer-golden.json: ids exactly as transformers gives them. */
class TokenizerGoldenSentencesTest {
    @Test
    void allThousandSentencesGiveTheReferenceIds() {
        BioGptTokenizer tokenizer = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        JsonNode items = Fixtures.tokenizerGolden().get("items");
        int matches = 0;
        List<String> mismatches = new ArrayList<>();
        for (JsonNode item : items) {
            String text = item.get("text").asText();
            int[] expected = Fixtures.ints(item.get("input_ids"));
            int[] actual = tokenizer.encodeIds(text);
            boolean same = Arrays.equals(expected, actual) && Arrays.equals(expected, tokenizer.encode(text).ids());
            if (same) {
                matches++;
            } else if (mismatches.size() < 5) {
                mismatches.add(item.get("i").asText() + ": " + text);
            }
        }
        System.out.printf("tokenizer-golden.json: %d/%d sentences give identical ids%n", matches, items.size());
        assertEquals(1000, items.size());
        assertEquals(items.size(), matches, "mismatching sentences, first ones: " + mismatches);
    }
}
