package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Every token's span, read from the original text, is the token's own text once unescaped
 * ({@code @-@} is the hyphen, entities their character, {@code </w>} dropped); pieces of one word
 * split that word's span; spans are ordered and do not overlap.
 */
class OffsetsPropertyTest {
    private static final BioGptTokenizer TOKENIZER = BioGptTokenizer.load(Fixtures.model("causal-lm"));
    private static final MosesTokenizer MOSES = new MosesTokenizer();

    /** The original characters a token stands for: the escaped token with its escapes undone. */
    private static String unescape(String escaped) {
        if (escaped.equals("@-@")) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < escaped.length(); ) {
            int entity = Escapes.entityAt(escaped, k);
            if (entity >= 0) {
                out.append((char) entity);
                k += Escapes.escape(entity).length();
            } else {
                out.append(escaped.charAt(k++));
            }
        }
        return out.toString();
    }

    static void assertSpansMatchText(String text) {
        Encoding encoding = TOKENIZER.encode(text);
        assertEquals(0, encoding.starts()[0]);
        assertEquals(0, encoding.ends()[0]);
        // Walk the text as the tokenizer splits it: literal specials, and between them Moses words,
        // each of which owns as many tokens as BPE gives it pieces.
        int t = 1;
        int previousEnd = 0;
        Matcher specials = SPECIALS.matcher(text);
        int segmentStart = 0;
        while (true) {
            boolean found = specials.find();
            int segmentEnd = found ? specials.start() : text.length();
            for (String word : MOSES.tokenize(text.substring(segmentStart, segmentEnd))) {
                int pieces = bpe().encode(word).ids.length;
                int wordStart = encoding.starts()[t];
                for (int p = t; p < t + pieces; p++) {
                    assertTrue(encoding.starts()[p] >= previousEnd, "spans ordered, token " + p + " of " + text);
                    assertTrue(encoding.ends()[p] >= encoding.starts()[p], "span not reversed, token " + p);
                    previousEnd = encoding.ends()[p];
                }
                t += pieces;
                // Moses deletes control characters, so the text under the span may hold some.
                String original = text.substring(wordStart, previousEnd).replaceAll("[\\x00-\\x1f]", "");
                assertEquals(unescape(word), original, "word " + word + " of " + text);
            }
            if (!found) {
                break;
            }
            assertEquals(specials.group(), encoding.tokens()[t]);
            assertEquals(specials.start(), encoding.starts()[t]);
            assertEquals(specials.end(), encoding.ends()[t]);
            previousEnd = specials.end();
            t++;
            segmentStart = specials.end();
        }
        assertEquals(encoding.length(), t, "every token accounted for");
    }

    private static final Pattern SPECIALS = Pattern.compile("<s>|</s>|<pad>|<unk>");

    private static Bpe bpeTables;

    private static synchronized Bpe bpe() {
        if (bpeTables == null) {
            Vocabulary vocabulary = Vocabulary.load(Fixtures.model("causal-lm"));
            bpeTables = new Bpe(vocabulary, vocabulary.id("<unk>"));
        }
        return bpeTables;
    }

    @Test
    void goldenTextSpansMatchTheirTokens() {
        for (JsonNode text : Fixtures.golden().get("texts")) {
            assertSpansMatchText(text.get("text").asText());
        }
        for (JsonNode item : Fixtures.tokenizerGolden().get("items")) {
            assertSpansMatchText(item.get("text").asText());
        }
    }

    @Test
    void escapedEntityAndHyphenMapToTheirOneOriginalCharacter() {
        String text = "IL-2 & TNF [x] \"q\" a|b <5";
        Encoding encoding = TOKENIZER.encode(text);
        for (int t = 1; t < encoding.length(); t++) {
            String token = encoding.tokens()[t];
            String span = text.substring(encoding.starts()[t], encoding.ends()[t]);
            if (token.equals("@-@</w>")) {
                assertEquals("-", span);
            } else if (token.equals("&amp;</w>")) {
                assertEquals("&", span);
            } else if (token.equals("&#91;</w>")) {
                assertEquals("[", span);
            } else if (token.equals("&quot;</w>")) {
                assertEquals("\"", span);
            }
        }
    }

    @Property(tries = 400)
    void generatedBiomedicalTextSpansMatchTheirTokens(@ForAll("biomedicalText") String text) {
        assertSpansMatchText(text);
    }

    @Provide
    Arbitrary<String> biomedicalText() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ").ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5),
                Arbitraries.of("IL-2", "TNF-α", "β-blocker", "COVID-19", "N,N-dimethyl", "mg/kg", "p<0.05", "5,300",
                        "Dr.", "i.e.", "e.g.", "et al.", "patient's", "don't", "wasn't", "cells'", "1.5", "3...",
                        "(n=12)", "[1]", "{x}", "A&B", "a|b", "\"quoted\"", "'single'", "`tick`", "--", "-3.5",
                        "基因", "🧬", "–", "±", "µg", "Café", "naïve", "x>y", "<s>", "</s>", "<pad>", "<unk>", "...",
                        "No.", "pp.", "Art.", "Fig.", "U.S.A.", "DNA.", "?", "!", ";", ":", "%", "$5", "@home", "#1"));
        Arbitrary<String> space = Arbitraries.of(" ", " ", " ", "  ", "\t", "\n", "\u00a0", "", " \u2009 ");
        return Arbitraries.integers().between(1, 25).flatMap(n ->
                word.list().ofSize(n).flatMap(words -> space.list().ofSize(n).map(spaces -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        text.append(words.get(i)).append(spaces.get(i));
                    }
                    return text.toString();
                })));
    }
}
