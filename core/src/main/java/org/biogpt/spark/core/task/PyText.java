package org.biogpt.spark.core.task;

/** Python str helpers the original scripts rely on, where Java's differ. */
public final class PyText {
    private PyText() {
    }

    /** Python's str.isspace for one char: Unicode white space, including no-break spaces. */
    public static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** Python's str.strip() with no argument. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}
