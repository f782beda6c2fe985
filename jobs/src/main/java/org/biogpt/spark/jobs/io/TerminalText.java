package org.biogpt.spark.jobs.io;

/**
 * Text from data (titles, abstracts, Hub file names) made safe to print on a terminal: a control
 * character (C0, DEL, C1; ESC starts the sequences that move the cursor, clear the screen or rewrite
 * the window title) or an invisible formatting character (bidirectional overrides, zero-width marks)
 * is written as a visible escape, {@code \x1b} or {@code \u202e}, so what is printed is what the data holds.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code s} with every control and formatting character escaped; null prints as "null". */
    public static String escape(String s) {
        return escape(s, false);
    }

    /** As {@link #escape(String)}, but line feeds are kept: for blocks of lines a program laid out itself. */
    public static String escapeKeepingLines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepLineFeeds) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean unsafe = (c != '\n' || !keepLineFeeds) && isUnsafe(c);
            if (unsafe && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (!unsafe) {
                    b.append(c);
                } else if (c < 0x100) {
                    b.append(String.format("\\x%02x", (int) c));
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean isUnsafe(char c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || c == '\u2028' || c == '\u2029';
    }
}
