package org.biogpt.spark.core.model;

/**
 * A row has more real tokens than the model has learned positions for. The reference fails here
 * with {@code IndexError: index out of range in self} from the position lookup.
 */
public class SequenceTooLongException extends IllegalArgumentException {
    private final int row;
    private final int length;
    private final int maxPositions;

    public SequenceTooLongException(int row, int length, int maxPositions) {
        super("row " + row + " has " + length + " tokens, which exceeds max_position_embeddings "
                + maxPositions + " (use LengthPolicy.TRUNCATE to keep the first " + maxPositions + ")");
        this.row = row;
        this.length = length;
        this.maxPositions = maxPositions;
    }

    public int row() {
        return row;
    }

    public int length() {
        return length;
    }

    public int maxPositions() {
        return maxPositions;
    }
}
