package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

/** The scanning Moses port gives exactly the tokens of the literal regex port. */
class MosesDifferentialTest {
    private static final MosesTokenizer FAST = new MosesTokenizer();
    private static final RegexMosesReference REFERENCE = new RegexMosesReference();

    @Test
    void regexReferenceReproducesGoldenMosesTokens() {
        for (JsonNode entry : Fixtures.golden().get("tokenization")) {
            String text = textOf(entry.get("id").asText());
            if (!text.contains("<")) {
                assertEquals(GoldenTokenizationTest.strings(entry.get("moses_tokens")), REFERENCE.tokenize(text), text);
            }
        }
    }

    @Test
    void scannerEqualsRegexReferenceOnAllGoldenTexts() {
        for (JsonNode text : Fixtures.golden().get("texts")) {
            String s = text.get("text").asText();
            assertEquals(REFERENCE.tokenize(s), FAST.tokenize(s), s);
        }
        for (JsonNode item : Fixtures.tokenizerGolden().get("items")) {
            String s = item.get("text").asText();
            assertEquals(REFERENCE.tokenize(s), FAST.tokenize(s), s);
        }
    }

    @Property(tries = 1000)
    void scannerEqualsRegexReferenceOnRandomText(@ForAll("punctuatedText") String text) {
        assertEquals(REFERENCE.tokenize(text), FAST.tokenize(text));
    }

    @Provide
    Arbitrary<String> punctuatedText() {
        return Arbitraries.strings()
                .withChars("aAzZsSnt019.,'`\"-–/&|<>[](){};:!?$€%@# \t\n\u00a0\u0001\u001fµβ基🧬")
                .withChars("DOTMULI")
                .ofMaxLength(40);
    }

    private static String textOf(String id) {
        for (JsonNode text : Fixtures.golden().get("texts")) {
            if (text.get("id").asText().equals(id)) {
                return text.get("text").asText();
            }
        }
        throw new IllegalArgumentException(id);
    }
}
