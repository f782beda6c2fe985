package org.biogpt.spark.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyFilesTest {
    private static Path originalForm() throws URISyntaxException {
        return Path.of(VocabularyFilesTest.class.getResource("/biogpt-vocab-original/merges.txt").toURI()).getParent();
    }

    private static void assertSameIdsOnGoldenSentences(BioGptTokenizer expected, BioGptTokenizer actual) {
        JsonNode items = Fixtures.tokenizerGolden().get("items");
        for (JsonNode item : items) {
            String text = item.get("text").asText();
            assertArrayEquals(expected.encodeIds(text), actual.encodeIds(text), text);
        }
        for (JsonNode text : Fixtures.golden().get("texts")) {
            assertArrayEquals(expected.encodeIds(text.get("text").asText()),
                    actual.encodeIds(text.get("text").asText()));
        }
    }

    @Test
    void originalMergesWithCountColumnGiveTheSameIdsAsSavePretrainedForm() throws Exception {
        List<String> firstLine = Files.readAllLines(originalForm().resolve("merges.txt")).subList(0, 1);
        assertEquals(3, firstLine.get(0).split(" ").length, "the original form keeps the count column");
        BioGptTokenizer hub = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        BioGptTokenizer original = BioGptTokenizer.load(originalForm());
        assertEquals(hub.vocabSize(), original.vocabSize());
        assertSameIdsOnGoldenSentences(hub, original);
        JsonNode items = Fixtures.tokenizerGolden().get("items");
        assertArrayEquals(Fixtures.ints(items.get(0).get("input_ids")),
                original.encodeIds(items.get(0).get("text").asText()));
    }

    @Test
    void savedVocabularyLoadsBackToTheSameIds(@TempDir Path dir) throws Exception {
        BioGptTokenizer original = BioGptTokenizer.load(originalForm());
        original.saveVocabulary(dir);
        BioGptTokenizer reloaded = BioGptTokenizer.load(dir);
        assertEquals(original.vocabSize(), reloaded.vocabSize());
        for (int id = 0; id < original.vocabSize(); id++) {
            assertEquals(original.idToToken(id), reloaded.idToToken(id));
        }
        assertSameIdsOnGoldenSentences(original, reloaded);
        String merges = Files.readString(dir.resolve("merges.txt"));
        assertTrue(merges.startsWith("t i\nt h\n"), "merges written without counts, in rank order");
    }

    @Test
    void specialTokensHaveTheReferenceIds() {
        BioGptTokenizer tokenizer = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        JsonNode config = Fixtures.golden().get("models").get("causal-lm").get("tokenizer_config")
                .get("added_tokens_decoder");
        assertEquals(config.get("2").get("content").asText(), tokenizer.idToToken(tokenizer.bosId()));
        assertEquals(config.get("2").get("content").asText(), tokenizer.idToToken(tokenizer.eosId()));
        assertEquals(config.get("1").get("content").asText(), tokenizer.idToToken(tokenizer.padId()));
        assertEquals(config.get("3").get("content").asText(), tokenizer.idToToken(tokenizer.unkId()));
        assertEquals(-1, tokenizer.tokenToId("no-such-token</w>"));
        assertEquals(null, tokenizer.idToToken(1_000_000));
    }

    @Test
    void serializedTokenizerEncodesTheSame() throws IOException, ClassNotFoundException {
        BioGptTokenizer tokenizer = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(tokenizer);
        }
        BioGptTokenizer copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (BioGptTokenizer) in.readObject();
        }
        assertSameIdsOnGoldenSentences(tokenizer, copy);
    }

    @Test
    void missingOrBrokenFilesGiveAClearError(@TempDir Path dir) throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BioGptTokenizer.load(dir));
        assertTrue(missing.getMessage().contains("vocab.json"), missing.getMessage());
        Files.writeString(dir.resolve("vocab.json"), "[1, 2");
        Files.writeString(dir.resolve("merges.txt"), "t i\n");
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> BioGptTokenizer.load(dir));
        assertTrue(broken.getMessage().contains("vocab.json"), broken.getMessage());
        Files.writeString(dir.resolve("vocab.json"), "{\"a</w>\": 0}");
        IllegalArgumentException noSpecials = assertThrows(IllegalArgumentException.class,
                () -> BioGptTokenizer.load(dir));
        assertTrue(noSpecials.getMessage().contains("<s>"), noSpecials.getMessage());
    }

    @Test
    void mergesParsingDropsTheTextAfterTheLastNewlineAsTransformersDoes() {
        List<String[]> merges = Vocabulary.parseMerges("a b 10\nc d\ne f");
        assertEquals(2, merges.size());
        assertArrayEquals(new String[] {"c", "d"}, merges.get(1));
    }
}
