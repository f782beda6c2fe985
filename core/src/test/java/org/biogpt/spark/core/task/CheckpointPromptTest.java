package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.junit.jupiter.api.Test;

/** The learned prompt of a fairseq checkpoint comes from its cfg.task and must agree with the task definition. */
class CheckpointPromptTest {
    private static final BioGptTokenizer FAIRSEQ = BioGptTokenizer.load(Fixtures.fairseq().resolve("re-prompt9"));

    @Test
    void relationPromptEndsWithTheCheckpointsLearnedTokens() {
        TaskDefinition bc5cdr = TaskDefinitions.builtIn(TaskDefinitions.BC5CDR);
        Prompt p = new PromptBuilder(bc5cdr, FAIRSEQ).build(Map.of("title", "Aspirin and asthma.",
                "abstract", "Aspirin induced asthma in a patient."));
        int[] ids = p.ids();
        // re-prompt9.golden.json: learned1 ... learned9 are ids 42384 ... 42392
        assertArrayEquals(new int[] {42384, 42385, 42386, 42387, 42388, 42389, 42390, 42391, 42392},
                Arrays.copyOfRange(ids, ids.length - 9, ids.length));
        assertArrayEquals(FAIRSEQ.encodeIds(p.source()), Arrays.copyOf(ids, ids.length - 9));
    }

    @Test
    void aTaskWithAnotherPromptLengthIsAnErrorNamingBoth() {
        TaskDefinition hoc = TaskDefinitions.builtIn(TaskDefinitions.HOC); // fine-tuned with 1 learned token
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PromptBuilder(hoc, FAIRSEQ));
        assertTrue(e.getMessage().contains("task hoc") && e.getMessage().contains(hoc.learnedPromptLength() + " tokens")
                && e.getMessage().contains("9 (learned_prompt in") && e.getMessage().contains("checkpoint.pt"),
                e.getMessage());
    }
}
