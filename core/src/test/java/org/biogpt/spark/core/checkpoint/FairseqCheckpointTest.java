package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The microsoft/BioGPT (fairseq) folder layout, on the re-prompt9 fixture and edited copies of it. */
class FairseqCheckpointTest {
    private static final Path FOLDER = Fixtures.fairseq().resolve("re-prompt9");

    @TempDir
    Path tmp;

    @Test
    void layoutIsRecognisedByItsFilesAndTheHubLayoutIsNot() {
        assertTrue(FairseqCheckpoint.isLayout(FOLDER));
        assertTrue(FairseqCheckpoint.isLayout(FOLDER.resolve("checkpoint.pt")));
        assertFalse(FairseqCheckpoint.isLayout(Fixtures.model("causal-lm")));
    }

    @Test
    void configComesFromCfgModelAndTheEmbeddingRows() {
        // fixture README: 2 layers, hidden 32, 4 heads, ffn 64, 128 positions, scale_embedding; 42,393 rows
        BioGptConfig c = BioGptConfig.load(FOLDER);
        assertEquals(42393, c.vocabSize());
        assertEquals(32, c.hiddenSize());
        assertEquals(2, c.numLayers());
        assertEquals(4, c.numHeads());
        assertEquals(64, c.intermediateSize());
        assertEquals(128, c.maxPositions());
        assertTrue(c.scaleEmbedding());
        assertEquals("gelu", c.hiddenAct());
        assertEquals(List.of("BioGptForCausalLM"), c.architectures());
    }

    @Test
    void tensorsTakeHubNamesAndOnlyTheModelsStoragesAreEverRead() {
        try (FairseqCheckpoint f = FairseqCheckpoint.open(FOLDER)) {
            assertTrue(f.names().contains("biogpt.embed_tokens.weight"));
            assertTrue(f.names().contains("biogpt.layers.1.fc2.weight"));
            assertTrue(f.names().contains("output_projection.weight"), "the LM head, under the Hub's name");
            assertFalse(f.names().stream().anyMatch(n -> n.startsWith("decoder.")), f.names().toString());
            assertEquals(0, f.storagesRead(), "opening maps nothing");
            for (String n : f.names()) {
                f.float32Bytes(n);
            }
            // data.pkl: the model uses storages 0-35 (0 holds both the embedding and output_projection);
            // 36 is decoder.version, 37 a meter's tensor, 38-39 Adam's moments: none of those is read.
            assertEquals(36, f.storagesRead());
            assertArrayEquals(f.readFloats("biogpt.embed_tokens.weight"), f.readFloats("output_projection.weight"));
        }
    }

    @Test
    void dictionaryIsTheFileWordsThenTheTasksLearnedTokens() {
        JsonNode vocab = Fixtures.fairseqGolden().get("vocabulary");
        try (FairseqCheckpoint f = FairseqCheckpoint.open(FOLDER)) {
            FairseqDictionary d = f.dictionary();
            assertEquals(vocab.get("size").asInt(), d.size());
            assertEquals(vocab.get("dict_entries").asInt(), d.fileSymbols());
            assertEquals(List.of("<s>", "<pad>", "</s>", "<unk>"), d.symbols().subList(0, 4));
            int[] expected = new int[9];
            for (int k = 1; k <= 9; k++) {
                expected[k - 1] = vocab.get("extra_ids").get("learned" + k).asInt();
                assertEquals(expected[k - 1], d.index("learned" + k));
            }
            assertArrayEquals(expected, f.promptIds(d));
            assertEquals(9, f.task().learnedLength());
            assertEquals("learned", f.task().learnedPattern());
        }
    }

    @Test
    void prefixTaskAddsTheSeparatorBeforeTheLearnedTokens() throws IOException {
        Path dict = tmp.resolve("dict.txt");
        Files.writeString(dict, "the 10\nprompt1 3\n", StandardCharsets.UTF_8);
        FairseqDictionary d = FairseqDictionary.read(dict);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("_name", "language_modeling_prompt");
        cfg.put("prefix", true);
        cfg.put("sep_token", "<seqsep>");
        cfg.put("learned_prompt", 3L);
        cfg.put("learned_prompt_pattern", "prompt");
        int[] ids = FairseqTask.from(cfg, "t").addTo(d);
        assertEquals(List.of("<s>", "<pad>", "</s>", "<unk>", "the", "prompt1", "<seqsep>", "prompt2", "prompt3"),
                d.symbols());
        assertArrayEquals(new int[] {5, 7, 8}, ids, "a prompt word already in the file keeps its id");
    }

    @Test
    void dictionaryLinesFollowFairseqsFormat() throws IOException {
        Path dict = tmp.resolve("dict.txt");
        Files.writeString(dict, "a 5\nb@@ 3\r\nc d 2\na 1 #fairseq:overwrite\n", StandardCharsets.UTF_8);
        FairseqDictionary d = FairseqDictionary.read(dict);
        assertEquals(List.of("<s>", "<pad>", "</s>", "<unk>", "a", "b@@", "c d", "a"), d.symbols());
        assertEquals(7, d.index("a"), "an overwritten word takes its new id");

        Files.writeString(dict, "a 5\na 6\n", StandardCharsets.UTF_8);
        CheckpointException dup = assertThrows(CheckpointException.class, () -> FairseqDictionary.read(dict));
        assertTrue(dup.getMessage().contains("line 2") && dup.getMessage().contains("duplicate word 'a'"),
                dup.getMessage());
        Files.writeString(dict, "a 5\nlonely\n", StandardCharsets.UTF_8);
        CheckpointException bad = assertThrows(CheckpointException.class, () -> FairseqDictionary.read(dict));
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
    }

    @Test
    void dictionaryWithTheWrongWordCountIsAnErrorNamingBothSizes() throws IOException {
        Path copy = copyFixture("checkpoint.pt", "dict.txt");
        List<String> lines = Files.readAllLines(copy.resolve("dict.txt"));
        Files.write(copy.resolve("dict.txt"), lines.subList(0, lines.size() - 1));
        try (FairseqCheckpoint f = FairseqCheckpoint.open(copy)) {
            CheckpointException e = assertThrows(CheckpointException.class, f::dictionary);
            assertTrue(e.getMessage().contains("42393 rows") && e.getMessage().contains("42392"), e.getMessage());
        }
    }

    @Test
    void averagedCheckpointWithALanguageDictionaryIsFound() throws IOException {
        Path copy = copyFixture("checkpoint_avg.pt", "dict.x.txt"); // cfg.task.source_lang is "x"
        Files.writeString(copy.resolve("dict.y.txt"), "unrelated 1\n");
        try (FairseqCheckpoint f = FairseqCheckpoint.open(copy)) {
            assertEquals("checkpoint_avg.pt", f.file().getFileName().toString());
            assertEquals("dict.x.txt", f.dictionaryFile().getFileName().toString());
            assertEquals(42393, f.dictionary().size());
        }
    }

    @Test
    void severalCheckpointsAreAmbiguousUnlessOneIsNamed() throws IOException {
        Path copy = copyFixture("checkpoint_best.pt", "dict.txt");
        Files.copy(copy.resolve("checkpoint_best.pt"), copy.resolve("checkpoint.pt"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> FairseqCheckpoint.open(copy));
        assertTrue(e.getMessage().contains("checkpoint.pt") && e.getMessage().contains("checkpoint_best.pt")
                && e.getMessage().contains("--checkpoint-file"), e.getMessage());
        try (FairseqCheckpoint f = FairseqCheckpoint.open(copy.resolve("checkpoint_best.pt"))) {
            assertEquals("checkpoint_best.pt", f.file().getFileName().toString());
        }
    }

    @Test
    void missingBpeCodesOrDictionaryAreNamed() throws IOException {
        Path copy = copyFixture("checkpoint.pt", "dict.txt");
        Files.delete(copy.resolve("bpecodes"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> FairseqCheckpoint.open(copy));
        assertTrue(e.getMessage().contains("bpecodes"), e.getMessage());
        Path copy2 = copyFixture("checkpoint.pt", "vocab.dat");
        e = assertThrows(CheckpointException.class, () -> FairseqCheckpoint.open(copy2));
        assertTrue(e.getMessage().contains("dict.x.txt") && e.getMessage().contains("dict.txt"), e.getMessage());
    }

    /** The fixture folder under a new checkpoint and dictionary name. */
    private Path copyFixture(String checkpointName, String dictName) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "folder");
        Files.copy(FOLDER.resolve("checkpoint.pt"), dir.resolve(checkpointName));
        Files.copy(FOLDER.resolve("dict.txt"), dir.resolve(dictName));
        Files.copy(FOLDER.resolve("bpecodes"), dir.resolve("bpecodes"));
        return dir;
    }
}
