package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

/** The vocabulary built from a fairseq folder against the Hub files transformers' converter wrote. */
class FairseqVocabularyTest {
    private static final Path FOLDER = Fixtures.fairseq().resolve("re-prompt9");

    @Test
    void dictionaryWordsGetTheHubConvertersTokensAndIdsAndTheTaskTokensFollow() {
        BioGptTokenizer fairseq = BioGptTokenizer.load(FOLDER);
        BioGptTokenizer hub = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        assertEquals(42384, hub.vocabSize());
        assertEquals(42393, fairseq.vocabSize());
        for (int id = 0; id < hub.vocabSize(); id++) {
            assertEquals(hub.idToToken(id), fairseq.idToToken(id), "id " + id);
        }
        JsonNode vocab = Fixtures.fairseqGolden().get("vocabulary");
        for (int k = 1; k <= 9; k++) {
            String word = "learned" + k;
            assertEquals(vocab.get("extra_ids").get(word).asInt(),
                    fairseq.tokenToId(vocab.get("hf_token_for_extra").get(word).asText()), word);
        }
        assertArrayEquals(new int[] {42384, 42385, 42386, 42387, 42388, 42389, 42390, 42391, 42392},
                fairseq.checkpointPrompt().ids());
        assertNull(hub.checkpointPrompt(), "a Hub checkpoint states no prompt");
    }

    @Test
    void tokenizeGivesTheHubTokenizersIdsOnTheFixtureTexts() {
        BioGptTokenizer fairseq = BioGptTokenizer.load(FOLDER);
        BioGptTokenizer hub = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        int n = 0;
        for (JsonNode t : Fixtures.golden().get("texts")) {
            String text = t.get("text").asText();
            assertArrayEquals(hub.encodeIds(text), fairseq.encodeIds(text), t.get("id").asText());
            n++;
        }
        for (JsonNode t : Fixtures.tokenizerGolden().get("items")) {
            String text = t.get("text").asText();
            assertArrayEquals(hub.encodeIds(text), fairseq.encodeIds(text), text);
            n++;
        }
        assertEquals(true, n > 1000, n + " texts");
    }
}
