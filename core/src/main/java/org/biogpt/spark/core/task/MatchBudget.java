package org.biogpt.spark.core.task;

/**
 * A bound on the work of matching user-supplied regexes against one text. {@code java.util.regex}
 * backtracks, so a task definition's pattern such as {@code (.*)(.*)(.*)(.*)(.*)(.*)(.*)(.*)!} takes
 * time exponential in its group count on an ordinary output. The engine reads its input only through
 * {@link CharSequence#charAt}, so texts handed to it are wrapped in a sequence that counts those reads
 * against this budget and throws {@link RegexBudgetExceededException} when it runs out: the row then
 * fails with that reason instead of hanging its task.
 */
final class MatchBudget {
    /**
     * Character reads allowed for all the matches of one parse. Well-formed task patterns read each
     * character of an output a few times per pattern; this leaves them orders of magnitude of room.
     */
    static final long DEFAULT_STEPS = 10_000_000L;

    private final long limit;
    private final String task;
    private long left;

    MatchBudget(long limit, String task) {
        if (limit < 1) {
            throw new IllegalArgumentException("a match budget must be at least 1 step, got " + limit);
        }
        this.limit = limit;
        this.left = limit;
        this.task = task;
    }

    /** {@code text} as the regex engine should see it: every character read is charged to this budget. */
    CharSequence wrap(String text, String patternRole) {
        return new Counted(text, patternRole);
    }

    private final class Counted implements CharSequence {
        private final String text;
        private final String role;

        Counted(String text, String role) {
            this.text = text;
            this.role = role;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new RegexBudgetExceededException("task " + task + ": its " + role + " read more than " + limit
                        + " characters matching a " + text.length() + "-character output (a pattern that backtracks"
                        + " catastrophically, e.g. several (.*) groups in a row); the row is not parsed");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        /** Group extraction copies a span once: linear, not charged. */
        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
