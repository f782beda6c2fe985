package org.biogpt.spark.core.tokenizer;

import java.util.Arrays;

/** A growable array of code points: the working text of one Moses pass. */
final class CodePointBuffer {
    int[] data;
    int length;

    CodePointBuffer(int capacity) {
        data = new int[Math.max(16, capacity)];
    }

    static CodePointBuffer of(String text) {
        CodePointBuffer buffer = new CodePointBuffer(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            buffer.add(cp);
            i += Character.charCount(cp);
        }
        return buffer;
    }

    void add(int cp) {
        if (length == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[length++] = cp;
    }

    void add(int a, int b, int c) {
        add(a);
        add(b);
        add(c);
    }

    void addAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            add(s.charAt(i));
        }
    }

    void addAll(CodePointBuffer other, int from, int to) {
        for (int i = from; i < to; i++) {
            add(other.data[i]);
        }
    }

    int get(int i) {
        return data[i];
    }

    boolean endsWith(int a, int b) {
        return length >= 2 && data[length - 2] == a && data[length - 1] == b;
    }

    /** Whether the text holds {@code s} (ASCII) anywhere. */
    boolean contains(String s) {
        outer:
        for (int i = 0; i + s.length() <= length; i++) {
            for (int j = 0; j < s.length(); j++) {
                if (data[i + j] != s.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    String substring(int from, int to) {
        return new String(data, from, to - from);
    }

    @Override
    public String toString() {
        return new String(data, 0, length);
    }
}
