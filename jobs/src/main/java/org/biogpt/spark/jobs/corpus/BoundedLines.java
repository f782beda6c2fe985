package org.biogpt.spark.jobs.corpus;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads text line by line like {@code BufferedReader.readLine}, but never holds more than
 * {@code maxChars} characters of one line: a longer line is read through to its end (counted, not
 * kept) and comes back as {@link Line#tooLong()}, so one endless line cannot exhaust the heap.
 * Lines end at {@code \n}; a {@code \r} before it is dropped.
 */
final class BoundedLines {
    /** One line: its text (null when too long), its length in characters and its number (1-based). */
    record Line(String text, long length, long number) {
        boolean tooLong() {
            return text == null;
        }
    }

    private final Reader in;
    private final long maxChars;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int lim;
    private long number;

    BoundedLines(Reader in, long maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        StringBuilder b = new StringBuilder();
        long length = 0;
        boolean any = false;
        while (true) {
            if (pos == lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    if (!any) {
                        return null;
                    }
                    return finish(b, length);
                }
            }
            any = true;
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            length += n;
            if (length <= maxChars + 1) { // one more than the cap so that a trailing \r still fits
                b.append(buf, start, n);
            } else if (b.length() > 0) {
                b.setLength(0);
                b.trimToSize();
            }
            if (pos < lim) {
                pos++; // the \n
                return finish(b, length);
            }
        }
    }

    private Line finish(StringBuilder b, long length) {
        number++;
        if (length <= maxChars + 1 && b.length() > 0 && b.charAt(b.length() - 1) == '\r') {
            b.setLength(b.length() - 1);
            length--;
        }
        return length > maxChars ? new Line(null, length, number) : new Line(b.toString(), length, number);
    }
}
