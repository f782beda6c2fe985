package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * 100,000 random strings over all of Unicode (every plane, lone and paired surrogates, controls,
 * whitespace runs, long runs of one character): the tokenizer never throws, every id is in the
 * vocabulary, offsets stay inside the text, ordered and non-overlapping, and decode never throws.
 */
class TokenizerFuzzTest {
    private static final BioGptTokenizer TOKENIZER = BioGptTokenizer.load(Fixtures.model("causal-lm"));

    @Test
    void randomUnicodeNeverBreaksEncodingOffsetsOrDecoding() {
        SplittableRandom rnd = new SplittableRandom(20261125L);
        int runs = 100_000;
        for (int i = 0; i < runs; i++) {
            String text = randomText(rnd);
            Encoding e;
            try {
                e = TOKENIZER.encode(text);
                TOKENIZER.decode(e.ids(), i % 2 == 0);
            } catch (RuntimeException ex) {
                throw new AssertionError("input #" + i + " " + codePoints(text), ex);
            }
            assertEquals(2, e.ids()[0]);
            int previousEnd = 0;
            for (int t = 0; t < e.length(); t++) {
                int id = e.ids()[t];
                assertTrue(id >= 0 && id < TOKENIZER.vocabSize(), "id " + id);
                int s = e.starts()[t];
                int end = e.ends()[t];
                assertTrue(s >= 0 && s <= end && end <= text.length(), "span of token " + t + " in " + codePoints(text));
                if (t > 0 && end > s) {
                    assertTrue(s >= previousEnd, "token " + t + " overlaps the previous one in " + codePoints(text));
                    previousEnd = end;
                }
            }
        }
    }

    /** Characters Moses treats specially (escapes, dash splits, contractions, sentence ends). */
    private static final String PUNCTUATION = "-'\"&<>[]|@.,;:()/%`";

    private static String randomText(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(0, 40);
        while (sb.length() < len) {
            switch (rnd.nextInt(8)) {
                case 0 -> sb.append((char) rnd.nextInt(0xD800, 0xE000));                 // lone surrogate
                case 1 -> sb.append((char) rnd.nextInt(0, 0x20));                         // control
                case 2 -> sb.append(" \t\n\u00a0\u2009".charAt(rnd.nextInt(5)));       // whitespace kinds
                case 3 -> sb.append(PUNCTUATION.charAt(rnd.nextInt(PUNCTUATION.length())));
                case 4 -> sb.appendCodePoint(rnd.nextInt(0x10000, 0x110000));            // supplementary planes
                case 5 -> sb.append(String.valueOf((char) rnd.nextInt('a', 'z' + 1)).repeat(rnd.nextInt(1, 30)));
                default -> sb.appendCodePoint(rnd.nextInt(0x20, 0xD800));                 // BMP before surrogates
            }
        }
        return sb.toString();
    }

    private static String codePoints(String s) {
        StringBuilder sb = new StringBuilder("[");
        s.chars().forEach(c -> sb.append(String.format("%04x ", c)));
        return sb.append(']').toString();
    }
}
