package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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

    /**
     * Strings of whole code points. Characters are not drawn one UTF-16 unit at a time: a lone
     * high and a lone low surrogate with a control character between them become one code point
     * in a Java regex once the control is dropped, but stay two in Python, which the scanner
     * follows (see {@link #droppedControlDoesNotJoinLoneSurrogates}). UTF-8 decoding never yields
     * lone surrogates, so only a generator could produce that input.
     */
    @Provide
    Arbitrary<String> punctuatedText() {
        String alphabet = "aAzZsSnt019.,'`\"-–/&|<>[](){};:!?$€%@# \t\n\u00a0\u0001\u001fµβ基🧬DOTMULI";
        return Arbitraries.of(alphabet.codePoints().mapToObj(Character::toString).toList())
                .list()
                .ofMaxSize(40)
                .map(codePoints -> String.join("", codePoints));
    }

    @Test
    void droppedControlDoesNotJoinLoneSurrogates() {
        // sacremoses removes [\000-\037] from a code point sequence, leaving U+D83E and U+DDEC as
        // two code points; neither is alphanumeric, so each is padded into a token of its own.
        assertEquals(List.of("\ud83e", "\uddec"), FAST.tokenize("\ud83e\u0001\uddec"));
        assertEquals(List.of("🧬"), FAST.tokenize("\u0001🧬\u0001"));
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
