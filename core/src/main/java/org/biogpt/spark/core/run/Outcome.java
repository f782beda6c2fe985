package org.biogpt.spark.core.run;

/** The result of one row, or the reason it has none (never both). */
public record Outcome<R>(R result, String error) {
    public static <R> Outcome<R> ok(R result) {
        return new Outcome<>(result, null);
    }

    public static <R> Outcome<R> failed(String error) {
        return new Outcome<>(null, error);
    }

    public boolean isError() {
        return error != null;
    }
}
