package org.biogpt.spark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.cluster.SampleCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code bench --reference-prompts} builds the prompts the Hugging Face reference's bench_hf.py generates from. */
class ReferencePromptsTest {

    @Test
    void theFirstPromptIsTheFirstSentenceOfTheFirstBc5cdrAbstract() {
        // Read off sample-data/corpus/bc5cdr-test-200.jsonl, document 8701013 (the BC5CDR test set's first).
        String expected = "Famotidine is a histamine H2-receptor antagonist used in inpatient settings for prevention of stress "
                + "ulcers and is showing increasing popularity because of its low cost.";
        BioGptTokenizer tokenizer = BioGptTokenizer.load(SampleCorpus.model("biogpt-tiny"));
        List<int[]> prompts = ReferencePrompts.of(SampleCorpus.jsonl(), tokenizer, 1);
        assertEquals(1, prompts.size());
        assertArrayEquals(tokenizer.encodeIds(expected), prompts.get(0));
        assertEquals(tokenizer.bosId(), prompts.get(0)[0]);
    }

    /**
     * bench_hf.py's own output for these batch sizes (2026-12-06, transformers 4.40.2 on the BioGPT vocabulary, which
     * the tiny checkpoint shares): generate_greedy.prompt_tokens_real and prompt_len_padded.
     */
    @ParameterizedTest(name = "batch {0}: {1} tokens, padded to {2}")
    @CsvSource({"1, 31, 31", "8, 247, 38", "16, 454, 60", "32, 908, 60"})
    void theBatchesHaveTheReferencesTokenCountsAndPaddedWidth(int batch, int tokens, int width) {
        List<int[]> prompts = ReferencePrompts.of(SampleCorpus.jsonl(), BioGptTokenizer.load(SampleCorpus.model("biogpt-tiny")), batch);
        assertEquals(batch, prompts.size());
        assertEquals(tokens, prompts.stream().mapToInt(p -> p.length).sum());
        assertEquals(width, prompts.stream().mapToInt(p -> p.length).max().orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Doses were low, e.g. the usual one. Then higher.|Doses were low, e.g. the usual one.",
        "It fell (p < 0.05).  (Fig. 1) shows it.|It fell (p < 0.05).",
        "Rats were   treated\\n\\twith IDM? 12 of them died.|Rats were treated with IDM?",
        "No sentence break here at all|No sentence break here at all",
        "Ends with mg. and a lower-case word.|Ends with mg. and a lower-case word.",
        "First! [Second] part.|First!",
    })
    void sentencesBreakAfterStopsBeforeCapitalsDigitsAndBrackets(String text, String first) {
        assertEquals(first, ReferencePrompts.firstSentence(text.replace("\\n", "\n").replace("\\t", "\t")));
    }

    @Test
    void aBlankTextIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> ReferencePrompts.firstSentence(" \n\t "));
    }
}
