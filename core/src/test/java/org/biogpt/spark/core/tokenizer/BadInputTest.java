package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

class BadInputTest {
    private static final BioGptTokenizer TOKENIZER = BioGptTokenizer.load(Fixtures.model("causal-lm"));

    @Test
    void nullTextIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TOKENIZER.encode(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TOKENIZER.encodeIds(null));
        NullPointerException n = assertThrows(NullPointerException.class, () -> TOKENIZER.decode(null, true));
        assertTrue(n.getMessage().contains("null"), n.getMessage());
    }

    @Test
    void blankTextGivesOnlyTheBos() {
        for (String blank : new String[] {"", " ", "\t\n", "\u00a0\u3000", "\u0001\u0002"}) {
            assertArrayEquals(new int[] {2}, TOKENIZER.encodeIds(blank));
            Encoding encoding = TOKENIZER.encode(blank);
            assertEquals(1, encoding.length());
            assertEquals("</s>", encoding.tokens()[0]);
        }
    }

    @Test
    void loneSurrogatesAreOneUnknownPieceEach() {
        // Python sees a lone surrogate as one code point, outside every Moses class: padded to its
        // own word, then one BPE piece the vocabulary lacks.
        int[] ids = TOKENIZER.encodeIds("a\uD800b \uDC00");
        assertArrayEquals(new int[] {2, TOKENIZER.tokenToId("a</w>"), 3, TOKENIZER.tokenToId("b</w>"), 3}, ids);
        Encoding encoding = TOKENIZER.encode("x \uDBFF");
        assertEquals(2, encoding.starts()[2]);
        assertEquals(3, encoding.ends()[2]);
    }

    @Test
    void controlCharactersAreDroppedAsMosesDoes() {
        // sacremoses removes [\000-\037] after collapsing whitespace: "as\u0001pirin" is one word;
        // \u001c-\u001f are whitespace to Python, so they separate words instead.
        assertArrayEquals(TOKENIZER.encodeIds("aspirin"), TOKENIZER.encodeIds("as\u0001pi\u0010rin"));
        assertArrayEquals(TOKENIZER.encodeIds("as pirin"), TOKENIZER.encodeIds("as\u001fpirin"));
        Encoding encoding = TOKENIZER.encode("\u0007aspirin\u0000");
        assertEquals(1, encoding.starts()[1]);
    }

    @Test
    void megabyteTextTokenizesWithoutError() {
        StringBuilder text = new StringBuilder();
        String sentence = "Aspirin (ASA) irreversibly inhibits COX-1 & COX-2, i.e. 5 mg/kg [n=12]; see Dr. Smith's note... ";
        while (text.length() < 1_000_000) {
            text.append(sentence);
        }
        Encoding encoding = TOKENIZER.encode(text.toString());
        assertTrue(encoding.length() > 200_000);
        assertArrayEquals(encoding.ids(), TOKENIZER.encodeIds(text.toString()));
        assertEquals(text.length() - 1, encoding.ends()[encoding.length() - 1]);
    }

    @Test
    void emojiCjkAndUnknownPiecesNeverThrow() {
        String text = "🧬🧬 基因 x\uFFFF \u200B \uFEFFabc \u0085 𝔸𝔹";
        Encoding encoding = TOKENIZER.encode(text);
        assertArrayEquals(encoding.ids(), TOKENIZER.encodeIds(text));
        TOKENIZER.decode(encoding.ids(), true);
        TOKENIZER.decode(new int[] {-5, 99_999_999, 2, 3}, false);
    }
}
