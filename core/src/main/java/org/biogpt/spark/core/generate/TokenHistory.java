package org.biogpt.spark.core.generate;

import java.util.Arrays;

/**
 * One row's tokens: its real prompt ids (no padding) followed by what was generated, with the
 * model log-prob of each generated token. Processors read it; beam search copies it when a beam
 * is continued from another one.
 */
final class TokenHistory {
    private final int promptLength;
    private int[] tokens;
    private float[] logProbs;
    private int length;

    TokenHistory(int[] prompt) {
        this.promptLength = prompt.length;
        this.tokens = Arrays.copyOf(prompt, prompt.length + 32);
        this.logProbs = new float[32];
        this.length = prompt.length;
    }

    private TokenHistory(TokenHistory other) {
        this.promptLength = other.promptLength;
        this.tokens = other.tokens.clone();
        this.logProbs = other.logProbs.clone();
        this.length = other.length;
    }

    TokenHistory copy() {
        return new TokenHistory(this);
    }

    void append(int token, float logProb) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, length * 2);
        }
        int g = generatedCount();
        if (g == logProbs.length) {
            logProbs = Arrays.copyOf(logProbs, g * 2);
        }
        tokens[length++] = token;
        logProbs[g] = logProb;
    }

    /** Prompt plus generated length. */
    int length() {
        return length;
    }

    int get(int i) {
        return tokens[i];
    }

    int last() {
        return tokens[length - 1];
    }

    int generatedCount() {
        return length - promptLength;
    }

    int[] generated() {
        return Arrays.copyOfRange(tokens, promptLength, length);
    }

    float[] generatedLogProbs() {
        return Arrays.copyOf(logProbs, generatedCount());
    }

    float sumGeneratedLogProbs() {
        float s = 0;
        for (int i = 0; i < generatedCount(); i++) {
            s += logProbs[i];
        }
        return s;
    }
}
