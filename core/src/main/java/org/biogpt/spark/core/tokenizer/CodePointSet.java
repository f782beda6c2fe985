package org.biogpt.spark.core.tokenizer;

import java.util.Arrays;

/** An immutable set of Unicode code points backed by a bitmap: one array read per membership test. */
final class CodePointSet {
    private final long[] bits;

    private CodePointSet(long[] bits) {
        this.bits = bits;
    }

    /** Parses "0030-0039 0041 ..." (hexadecimal code points and inclusive ranges, space separated). */
    static CodePointSet parseRanges(String ranges) {
        long[] bits = new long[0];
        for (String part : ranges.trim().split("\\s+")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash), 16);
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1), 16);
            if (from < 0 || to > Character.MAX_CODE_POINT || from > to) {
                throw new IllegalArgumentException("bad code point range: " + part);
            }
            int needed = (to >> 6) + 1;
            if (bits.length < needed) {
                bits = Arrays.copyOf(bits, needed);
            }
            for (int cp = from; cp <= to; cp++) {
                bits[cp >> 6] |= 1L << cp;
            }
        }
        return new CodePointSet(bits);
    }

    static CodePointSet of(String chars) {
        StringBuilder ranges = new StringBuilder();
        chars.codePoints().forEach(cp -> ranges.append(Integer.toHexString(cp)).append(' '));
        return parseRanges(ranges.toString());
    }

    CodePointSet union(CodePointSet other) {
        long[] merged = Arrays.copyOf(bits, Math.max(bits.length, other.bits.length));
        for (int i = 0; i < other.bits.length; i++) {
            merged[i] |= other.bits[i];
        }
        return new CodePointSet(merged);
    }

    boolean contains(int cp) {
        int word = cp >> 6;
        return cp >= 0 && word < bits.length && (bits[word] & (1L << cp)) != 0;
    }
}
