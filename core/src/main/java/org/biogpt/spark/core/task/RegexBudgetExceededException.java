package org.biogpt.spark.core.task;

/** A task's regex needed more work than {@link MatchBudget} allows on one output: that row fails with this reason. */
public final class RegexBudgetExceededException extends RuntimeException {
    public RegexBudgetExceededException(String message) {
        super(message);
    }
}
