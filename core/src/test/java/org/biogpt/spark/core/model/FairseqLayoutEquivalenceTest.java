package org.biogpt.spark.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.checkpoint.FairseqCheckpoint;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One set of random weights written in both layouts gives the same model: a fairseq folder with F16
 * storage, a prefix task (<seqsep>) and 5 learned tokens, checkpoint_avg.pt with its own copy of the
 * output projection, dict.x.txt and a real-size optimizer state, against the Hub layout.
 */
class FairseqLayoutEquivalenceTest {
    @TempDir
    Path tmp;

    @Test
    void fairseqFolderAndHubCheckpointOfOneSeedScoreTheSame() {
        Path tokenizerDir = Fixtures.model("causal-lm");
        Path hubDir = tmp.resolve("hub");
        Path fsDir = tmp.resolve("fairseq");
        RandomCheckpoint.write(RandomCheckpoint.ModelShape.TINY, DType.F16, hubDir, tokenizerDir, 11);
        new RandomFairseqCheckpoint(5, true, "checkpoint_avg.pt", "x", false, true)
                .write(RandomCheckpoint.ModelShape.TINY, DType.F16, fsDir, tokenizerDir, 11);

        BioGptTokenizer tok = BioGptTokenizer.load(fsDir);
        assertEquals(42384 + 6, tok.vocabSize());
        assertEquals(42384, tok.tokenToId("<seqsep></w>"), "the separator comes first");
        assertArrayEquals(new int[] {42385, 42386, 42387, 42388, 42389}, tok.checkpointPrompt().ids());
        assertArrayEquals(BioGptTokenizer.load(hubDir).encodeIds("Aspirin-induced asthma."),
                tok.encodeIds("Aspirin-induced asthma."));

        long[] ids = {2, 25254, 23290, 2310, 9008, 9, 36, 10, 3315, 4};
        try (BioGptModel hub = BioGptModel.load(hubDir); BioGptModel fs = BioGptModel.load(fsDir)) {
            assertEquals(42390, fs.config().vocabSize());
            float[] h = hub.score(Batch.of(ids))[0].lastLogits();
            float[] f = fs.score(Batch.of(ids))[0].lastLogits();
            assertEquals(42390, f.length);
            float[] common = Arrays.copyOf(f, h.length);
            for (int i = 0; i < h.length; i++) {
                assertEquals(h[i], common[i], 1e-5, "logit " + i);
            }
            float[][] hidden = fs.logits(Batch.of(new long[] {2, 42384, 42385, 42386}))[0];
            assertTrue(Float.isFinite(hidden[3][42389]), "the task's tokens are ordinary rows of the model");
        }
        try (FairseqCheckpoint f = FairseqCheckpoint.open(fsDir)) {
            for (String n : f.names()) {
                f.float32Bytes(n);
            }
            int modelTensors = f.names().size(); // one storage each (the head has its own copy here)
            assertEquals(modelTensors, f.storagesRead(), "the optimizer's moments are never read");
        }
    }
}
