package org.biogpt.spark.jobs.corpus;

/**
 * Counts the characters one record brings in and says when they pass the cap of
 * {@link ReadOptions#maxRecordChars()}. Readers keep reading (and counting) an oversized record to its
 * end so that the next record starts cleanly, but stop storing its text.
 */
final class RecordBudget {
    private final long cap;
    private long seen;

    RecordBudget(long cap) {
        this.cap = cap;
    }

    /** Adds {@code n} characters; true while the record is still within the cap. */
    boolean add(long n) {
        seen += n;
        return seen <= cap;
    }

    boolean exceeded() {
        return seen > cap;
    }

    long seen() {
        return seen;
    }

    /** A text buffer that counts against this budget and stops growing once the budget is spent. */
    Text text() {
        return new Text();
    }

    /** Characters of one field; empty once the record went over the cap. */
    final class Text {
        private final StringBuilder b = new StringBuilder();

        void append(char[] chars, int start, int length) {
            if (add(length)) {
                b.append(chars, start, length);
            } else {
                b.setLength(0);
                b.trimToSize();
            }
        }

        void append(CharSequence s) {
            if (add(s.length())) {
                b.append(s);
            } else {
                b.setLength(0);
                b.trimToSize();
            }
        }

        CharSequence chars() {
            return b;
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
