package org.biogpt.spark.core.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.model.BioGptConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {
    @TempDir
    Path dir;

    private void write(String name, String json) throws IOException {
        Files.writeString(dir.resolve(name), json);
    }

    private static void assertInvalid(GenerationConfig c, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void fixtureGenerationConfigGivesTheReferenceDefaults() {
        GenerationConfig c = GenerationConfig.load(Fixtures.model("causal-lm"));
        assertArrayEquals(new int[] {2}, c.eosTokenIds());
        assertEquals(1, c.padTokenId());
        assertEquals(0, c.bosTokenId());
        assertEquals(20, c.maxLength());
        assertNull(c.maxNewTokens());
        assertEquals(1, c.numBeams());
        assertEquals(EarlyStopping.FALSE, c.earlyStopping());
        assertEquals(50, c.topK());
        assertEquals(1.0, c.lengthPenalty());
        assertFalse(c.doSample());
        c.validate();
    }

    @Test
    void generationConfigJsonWinsOverConfigJson() throws IOException {
        write("config.json", "{\"eos_token_id\": 2, \"pad_token_id\": 1, \"num_beams\": 4}");
        write("generation_config.json", "{\"max_new_tokens\": 5, \"eos_token_id\": [2, 7]}");
        GenerationConfig c = GenerationConfig.load(dir);
        assertEquals(5, c.maxNewTokens());
        assertEquals(1, c.numBeams());
        assertArrayEquals(new int[] {2, 7}, c.eosTokenIds());
        assertEquals(2, c.padTokenId(), "no pad id: the first eos id stands in");
    }

    @Test
    void configJsonIsUsedWhenThereIsNoGenerationConfig() throws IOException {
        write("config.json", "{\"eos_token_id\": 2, \"pad_token_id\": 1, \"bos_token_id\": 0, \"hidden_size\": 32}");
        GenerationConfig c = GenerationConfig.load(dir);
        assertArrayEquals(new int[] {2}, c.eosTokenIds());
        assertEquals(1, c.padTokenId());
        assertEquals(20, c.maxLength());
    }

    @Test
    void readsEveryGenerationKey() throws IOException {
        write("generation_config.json", "{\"max_new_tokens\": 9, \"min_new_tokens\": 2, \"num_beams\": 5,"
                + " \"num_return_sequences\": 3, \"length_penalty\": 0.5, \"early_stopping\": \"never\","
                + " \"no_repeat_ngram_size\": 3, \"repetition_penalty\": 1.2, \"do_sample\": false,"
                + " \"temperature\": 0.7, \"top_k\": 10, \"top_p\": 0.9, \"seed\": 42, \"eos_token_id\": 2,"
                + " \"pad_token_id\": 1, \"bos_token_id\": 0, \"stop_strings\": [\"\\n\"], \"max_length\": null}");
        GenerationConfig c = GenerationConfig.load(dir);
        assertEquals(9, c.maxNewTokens());
        assertEquals(2, c.minNewTokens());
        assertEquals(5, c.numBeams());
        assertEquals(3, c.numReturnSequences());
        assertEquals(0.5, c.lengthPenalty());
        assertEquals(EarlyStopping.NEVER, c.earlyStopping());
        assertEquals(3, c.noRepeatNgramSize());
        assertEquals(1.2, c.repetitionPenalty());
        assertEquals(0.7, c.temperature());
        assertEquals(10, c.topK());
        assertEquals(0.9, c.topP());
        assertEquals(42L, c.seed());
        assertEquals(List.of("\n"), c.stopStrings());
        assertEquals(20, c.maxLength(), "null keeps the default");
    }

    @Test
    void wrongJsonTypesNameTheKey() throws IOException {
        write("generation_config.json", "{\"num_beams\": \"four\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(dir));
        assertTrue(e.getMessage().contains("num_beams"), e.getMessage());
        write("generation_config.json", "{\"early_stopping\": \"sometimes\"}");
        e = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(dir));
        assertTrue(e.getMessage().contains("early_stopping"), e.getMessage());
    }

    @Test
    void missingFilesAreAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.load(dir));
        assertTrue(e.getMessage().contains("generation_config.json"), e.getMessage());
    }

    @Test
    void overridesReturnCopiesAndLeaveTheOriginalAlone() {
        GenerationConfig a = GenerationConfig.defaults().withEosTokenIds(2).withPadTokenId(1);
        GenerationConfig b = a.withNumBeams(4).withEarlyStopping(EarlyStopping.TRUE).withMaxNewTokens(8);
        assertEquals(1, a.numBeams());
        assertEquals(EarlyStopping.FALSE, a.earlyStopping());
        assertNull(a.maxNewTokens());
        assertEquals(4, b.numBeams());
        assertEquals(EarlyStopping.TRUE, b.earlyStopping());
        assertEquals(8, b.newTokenBudget(100));
        assertEquals(12, a.newTokenBudget(8), "max_length 20 minus the padded prompt width");
        assertEquals(1, a.newTokenBudget(30), "at least one token, as the reference");
    }

    @Test
    void earlyStoppingParsesTrueFalseNever() {
        assertEquals(EarlyStopping.TRUE, EarlyStopping.parse("True"));
        assertEquals(EarlyStopping.FALSE, EarlyStopping.parse("false"));
        assertEquals(EarlyStopping.NEVER, EarlyStopping.parse("never"));
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.parse("maybe"));
    }

    @Test
    void invalidCombinationsAreRejectedWithTheReason() {
        GenerationConfig ok = GenerationConfig.defaults().withEosTokenIds(2).withPadTokenId(1).withMaxNewTokens(10);
        ok.validate();
        assertInvalid(ok.withNumBeams(2).withNumReturnSequences(3), "must not exceed num_beams");
        assertInvalid(ok.withNumReturnSequences(2), "greedy search returns one sequence");
        assertInvalid(ok.withNumBeams(4).withDoSample(true), "beam sampling");
        assertInvalid(ok.withNumBeams(4).withStopStrings(List.of("x")), "stop strings");
        assertInvalid(ok.withMaxNewTokens(0), "max_new_tokens");
        assertInvalid(ok.withMinNewTokens(11), "min_new_tokens (11) exceeds max_new_tokens (10)");
        assertInvalid(ok.withDoSample(true).withTemperature(0), "temperature");
        assertInvalid(ok.withTopP(0), "top_p");
        assertInvalid(ok.withTopK(-1), "top_k");
        assertInvalid(ok.withRepetitionPenalty(0), "repetition_penalty");
        assertInvalid(ok.withNumBeams(0), "num_beams");
        assertInvalid(GenerationConfig.defaults().withNumBeams(3), "eos_token_id");
        assertInvalid(GenerationConfig.defaults(), "pad_token_id");
        ok.withDoSample(true).withNumReturnSequences(3).validate();
    }

    @Test
    void theCheckpointFillsOnlyTheSpecialIdsAConfigLeavesUnset() {
        BioGptConfig model = BioGptConfig.load(Fixtures.model("causal-lm"));
        GenerationConfig filled = GenerationConfig.greedy(12).withNumBeams(3).withEarlyStopping(EarlyStopping.NEVER)
                .withSpecialIdsOf(model);
        assertEquals(12, filled.maxNewTokens());
        assertEquals(3, filled.numBeams());
        assertArrayEquals(new int[] {model.eosTokenId()}, filled.eosTokenIds());
        assertEquals(model.padTokenId(), filled.padTokenId());
        assertEquals(model.bosTokenId(), filled.bosTokenId());
        GenerationConfig own = GenerationConfig.defaults().withEosTokenIds(7).withSpecialIdsOf(model);
        assertArrayEquals(new int[] {7}, own.eosTokenIds());
        assertEquals(7, own.padTokenId(), "an eos without a pad pads with the eos, as Hugging Face does");
    }

    @Test
    void aConfigSurvivesJavaSerializationAsSparkShipsIt() throws Exception {
        GenerationConfig c = GenerationConfig.greedy(9).withNoRepeatNgramSize(3).withStopStrings(List.of("."))
                .withEosTokenIds(2, 5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        GenerationConfig back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (GenerationConfig) in.readObject();
        }
        assertEquals(c.toString(), back.toString());
    }
}
