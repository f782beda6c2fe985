package org.biogpt.spark.core.tokenizer;

/** The XML escapes Moses applies to tokens; the escaped forms are what the BioGPT vocabulary holds. */
final class Escapes {
    private Escapes() {
    }

    /** The escape of one code point, or null when it is written as is. */
    static String escape(int cp) {
        switch (cp) {
            case '&':
                return "&amp;";
            case '|':
                return "&#124;";
            case '<':
                return "&lt;";
            case '>':
                return "&gt;";
            case '\'':
                return "&apos;";
            case '"':
                return "&quot;";
            case '[':
                return "&#91;";
            case ']':
                return "&#93;";
            default:
                return null;
        }
    }

    /**
     * The character an entity starting at {@code at} in an escaped token stands for, or -1. Every
     * {@code &} in an escaped token starts one of these, since Moses escapes all ampersands.
     */
    static int entityAt(String token, int at) {
        if (token.charAt(at) != '&') {
            return -1;
        }
        for (int cp : ESCAPED_CHARS) {
            if (token.startsWith(escape(cp), at)) {
                return cp;
            }
        }
        return -1;
    }

    private static final int[] ESCAPED_CHARS = {'&', '|', '<', '>', '\'', '"', '[', ']'};
}
