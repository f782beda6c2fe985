package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;

/** A padded batch's forward computes its real tokens only, and gives each row what the row gives alone. */
class RealTokensTest {
    private static final int[][] MASK = {{0, 1, 1}, {1, 1, 0}, {1, 0, 1}};   // left, right and inner padding

    @Test
    void aBatchWithoutPaddingKeepsItsOwnLayout() {
        assertNull(RealTokens.of(new int[][] {{1, 1}, {1, 1}}, 2));
    }

    @Test
    void realTokensMoveBetweenLayoutsRowByRow() {
        RealTokens real = RealTokens.of(MASK, 2);
        assertEquals(6, real.count());
        // Flat padded positions r·T + j of the real tokens: (0,1) (0,2) (1,0) (1,1) (2,0) (2,2).
        assertArrayEquals(new long[] {1, 2, 3, 4, 6, 8}, real.select(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8}));
        try (NDManager m = NDManager.newBaseManager(); RealTokens.Indices at = real.indices(m)) {
            float[] tokens = {10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61};              // 6 tokens × 2 channels
            NDArray x = m.create(tokens, new Shape(1, 6, 2));
            NDArray padded = at.toPadded(x);
            assertEquals(new Shape(3, 3, 2), padded.getShape());
            // Padding holds its row's first real token (masked in attention, never read back).
            assertArrayEquals(new float[] {10, 11, 10, 11, 20, 21, 30, 31, 40, 41, 30, 31, 50, 51, 50, 51, 60, 61},
                    padded.toFloatArray());
            // Rows of 2 real tokens each: one attention group, each row right-aligned in 2 columns.
            assertEquals(1, real.groups().size());
            NDArray grouped = at.toGroup(x, 0);
            assertEquals(new Shape(3, 2, 2), grouped.getShape());
            assertArrayEquals(tokens, grouped.toFloatArray());
            NDArray back = at.fromGroups(List.of(grouped));
            assertEquals(new Shape(1, 6, 2), back.getShape());
            assertArrayEquals(tokens, back.toFloatArray());
            assertArrayEquals(new float[] {0, 0, 10, 11, 20, 21, 30, 31, 40, 41, 0, 0, 50, 51, 0, 0, 60, 61},
                    real.toPaddedWithZeros(x).toFloatArray());
        }
    }

    @Test
    void aGroupLaysItsRowsRightAlignedUnderACausalMaskOfRealTokens() {
        RealTokens real = RealTokens.of(new int[][] {{1, 1, 1}, {0, 1, 1}, {1, 0, 0}}, 2);    // 3, 2 and 1 real tokens
        RealTokens.Group g = real.groups().get(0);
        assertEquals(3, g.rows());
        assertEquals(3, g.width());
        // Real tokens 0..5 row by row (0 1 2 | 3 4 | 5); padding slots hold their row's first token.
        assertArrayEquals(new long[] {0, 1, 2, 3, 3, 4, 5, 5, 5}, g.gather());
        float x = Forward.MASK_MIN;
        assertArrayEquals(new float[] {
            0, x, x,  0, 0, x,  0, 0, 0,            // row 0: plain causal
            x, x, x,  x, 0, x,  x, 0, 0,            // row 1: its first column is padding
            x, x, x,  x, x, x,  x, x, 0,            // row 2: one real token, in the last column
        }, g.mask());
    }

    @Test
    void eachRowOfAPaddedBatchGetsTheHiddenStatesItGetsAlone() {
        BioGptModel model = TinyModels.get("causal-lm");
        List<long[]> rows = new ArrayList<>();
        for (JsonNode e : Fixtures.golden().get("causal_lm").get("single")) {
            if (List.of("t011", "t023", "t027").contains(e.get("id").asText())) {
                rows.add(Fixtures.longs(e.get("input_ids")));                    // 30, 8 and 23 tokens
            }
        }
        assertEquals(3, rows.size());
        long pad = model.config().padTokenId();
        for (Batch batch : List.of(Batch.leftPadded(rows, pad), Batch.rightPadded(rows, pad))) {
            HiddenStates all = model.hiddenStates(batch, true);
            for (int r = 0; r < rows.size(); r++) {
                HiddenStates alone = model.hiddenStates(Batch.of(rows.get(r)), true);
                int first = batch.mask()[r][0] == 1 ? 0 : batch.seqLen() - rows.get(r).length;
                for (int j = 0; j < batch.seqLen(); j++) {
                    boolean real = batch.mask()[r][j] == 1;
                    float[] lastWant = real ? alone.last()[0][j - first] : new float[model.config().hiddenSize()];
                    float[] embWant = real ? alone.embeddings()[0][j - first] : new float[model.config().hiddenSize()];
                    assertArrayEquals(lastWant, all.last()[r][j], 1e-5f, "row " + r + " column " + j);
                    assertArrayEquals(embWant, all.embeddings()[r][j], 1e-6f, "embeddings, row " + r + " column " + j);
                }
            }
        }
    }
}
