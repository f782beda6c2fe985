package org.biogpt.spark.core.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.checkpoint.FairseqCheckpoint;
import org.biogpt.spark.core.checkpoint.FairseqDictionary;

/**
 * The Hugging Face vocabulary of a fairseq model folder, built as transformers' converter
 * ({@code rewrite_dict_keys}) builds {@code vocab.json} from {@code dict.txt}, but from the
 * dictionary the task actually used: fairseq's symbols in id order ({@code <s> <pad> </s> <unk>},
 * the dictionary's words, then what {@code cfg.task} added), a BPE continuation {@code x@@}
 * becoming the piece {@code x} and any other word {@code word</w>}; the four specials keep their
 * names. Merges are {@code bpecodes} (the text a Hub {@code merges.txt} holds).
 */
final class FairseqVocabulary {
    private static final String CONTINUATION = "@@";
    private static final String WORD_END = "</w>";

    private FairseqVocabulary() {
    }

    static Vocabulary load(Path path) {
        try (FairseqCheckpoint checkpoint = FairseqCheckpoint.open(path)) {
            FairseqDictionary dict = checkpoint.dictionary();
            Map<String, Integer> tokenToId = new LinkedHashMap<>();
            List<String> symbols = dict.symbols();
            for (String word : symbols) {
                int id = dict.index(word); // an overwritten word maps to its last id, as fairseq's indices do
                tokenToId.put(FairseqDictionary.SPECIALS.contains(word) ? word : hubToken(word), id);
            }
            String merges;
            try {
                merges = Files.readString(checkpoint.bpeCodes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + checkpoint.bpeCodes(), e);
            }
            CheckpointPrompt prompt = null;
            if (!checkpoint.task().promptWords().isEmpty()) {
                prompt = new CheckpointPrompt(checkpoint.promptIds(dict), checkpoint.task().learnedLength(),
                        checkpoint.task().learnedPattern(), checkpoint.file() + " (cfg.task)");
            }
            return new Vocabulary(tokenToId, Vocabulary.parseMerges(merges), prompt);
        }
    }

    /** transformers' rewrite_dict_keys for one word. */
    static String hubToken(String word) {
        return word.endsWith(CONTINUATION) ? word.substring(0, word.length() - CONTINUATION.length()) : word + WORD_END;
    }
}
