package org.biogpt.spark.core.tokenizer;

/**
 * Maps the characters of escaped Moses tokens back to the original text. Moses only inserts
 * spaces, collapses whitespace, drops control characters and escapes a few characters, so each
 * token is found by walking a cursor forward: skip whitespace and dropped characters, then match
 * the token's characters, reading an entity ({@code &amp;}) as its one character and the token
 * {@code @-@} as the hyphen it replaced. A token that cannot be matched (sacremoses' DOTMULTI
 * markers rewrite literal "DOTMULTI" text) gets an empty span at the cursor.
 */
final class OffsetAligner {
    /** How far ahead to look for a token that does not match at the cursor. */
    private static final int SEARCH_WINDOW = 64;

    private final String text;
    private final int end;
    private int cursor;

    OffsetAligner(String text, int from, int to) {
        this.text = text;
        this.cursor = from;
        this.end = to;
    }

    /** Fills {@code starts[k], ends[k]} for each char k of the escaped token. */
    void align(String token, int[] starts, int[] ends) {
        int from = cursor;
        while (from < end && droppedByMoses(text.charAt(from))) {
            from++;
        }
        int limit = Math.min(end, from + SEARCH_WINDOW);
        for (int at = from; at < limit; at++) {
            if (at == from || firstChar(token) == text.charAt(at)) {
                int matchedEnd = tryMatch(token, at, starts, ends);
                if (matchedEnd >= 0) {
                    cursor = matchedEnd;
                    return;
                }
            }
        }
        for (int k = 0; k < token.length(); k++) {
            starts[k] = from;
            ends[k] = from;
        }
    }

    private static char firstChar(String token) {
        if (token.equals("@-@")) {
            return '-';
        }
        int entity = Escapes.entityAt(token, 0);
        return entity >= 0 ? (char) entity : token.charAt(0);
    }

    /** The end of the match at {@code at}, or -1. */
    private int tryMatch(String token, int at, int[] starts, int[] ends) {
        int p = at;
        if (token.equals("@-@")) {
            if (p < end && text.charAt(p) == '-') {
                starts[0] = starts[1] = starts[2] = p;
                ends[0] = ends[1] = ends[2] = p + 1;
                return p + 1;
            }
            return -1;
        }
        int k = 0;
        while (k < token.length()) {
            char expected = token.charAt(k);
            int width = 1;
            int entity = Escapes.entityAt(token, k);
            if (entity >= 0) {
                expected = (char) entity;
                width = Escapes.escape(entity).length();
            }
            // Control characters inside a word are deleted by Moses: step over them.
            while (k > 0 && p < end && isControl(text.charAt(p))) {
                p++;
            }
            if (p >= end || text.charAt(p) != expected) {
                return -1;
            }
            for (int j = k; j < k + width; j++) {
                starts[j] = p;
                ends[j] = p + 1;
            }
            k += width;
            p++;
        }
        return p;
    }

    private static boolean isControl(char c) {
        return c < 0x20 && !CharClasses.isPythonSpace(c);
    }

    private static boolean droppedByMoses(char c) {
        return c < 0x20 || CharClasses.isPythonSpace(c);
    }
}
