package org.biogpt.spark.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.checkpoint.FairseqCheckpoint;

/**
 * The two tokenizer files of a checkpoint: {@code vocab.json} (token to id; the ids are what
 * counts, key order differs between the Hub and the conversion script) and {@code merges.txt}
 * (BPE merges, ranked by line; a third count column, as in the original fairseq bpecodes, is
 * ignored, as transformers ignores it).
 */
public final class Vocabulary implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String VOCAB_FILE = "vocab.json";
    public static final String MERGES_FILE = "merges.txt";

    private final Map<String, Integer> tokenToId;
    private final String[] idToToken;
    /** Merge pairs in rank order (rank = index). */
    private final List<String[]> merges;
    /** The prompt the checkpoint's own configuration states, or null. */
    private final CheckpointPrompt prompt;

    Vocabulary(Map<String, Integer> tokenToId, List<String[]> merges) {
        this(tokenToId, merges, null);
    }

    Vocabulary(Map<String, Integer> tokenToId, List<String[]> merges, CheckpointPrompt prompt) {
        this.prompt = prompt;
        this.tokenToId = Collections.unmodifiableMap(new HashMap<>(tokenToId));
        int maxId = -1;
        for (int id : tokenToId.values()) {
            if (id < 0) {
                throw new IllegalArgumentException("negative id " + id + " in vocabulary");
            }
            maxId = Math.max(maxId, id);
        }
        this.idToToken = new String[maxId + 1];
        // Like transformers' decoder = {v: k for k, v in encoder.items()}: a repeated id keeps one token.
        tokenToId.forEach((token, id) -> idToToken[id] = token);
        this.merges = List.copyOf(merges);
    }

    /**
     * Reads {@code vocab.json} and {@code merges.txt} from a checkpoint directory, or builds the
     * same from a fairseq model folder's dictionary, task and {@code bpecodes} ({@link FairseqVocabulary}).
     */
    public static Vocabulary load(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("tokenizer directory is null");
        }
        if (FairseqCheckpoint.isLayout(dir)) {
            return FairseqVocabulary.load(dir);
        }
        Path vocabFile = dir.resolve(VOCAB_FILE);
        Path mergesFile = dir.resolve(MERGES_FILE);
        for (Path file : List.of(vocabFile, mergesFile)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("BioGPT tokenizer file missing: " + file
                        + " (a checkpoint directory needs vocab.json and merges.txt)");
            }
        }
        Map<String, Integer> vocab;
        try {
            vocab = new ObjectMapper().readValue(vocabFile.toFile(), new TypeReference<LinkedHashMap<String, Integer>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a token-to-id JSON object: " + vocabFile + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + vocabFile, e);
        }
        if (vocab == null || vocab.isEmpty()) {
            throw new IllegalArgumentException("empty vocabulary: " + vocabFile);
        }
        if (vocab.containsValue(null)) {
            throw new IllegalArgumentException("null id in " + vocabFile);
        }
        String mergesText;
        try {
            mergesText = Files.readString(mergesFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mergesFile, e);
        }
        return new Vocabulary(vocab, parseMerges(mergesText));
    }

    /**
     * transformers: {@code read().split("\n")[:-1]} then the first two whitespace-separated fields
     * of each line; the last piece after the final newline is dropped. Lines with fewer than two
     * fields can never match a pair and are skipped; later duplicates take the later rank.
     */
    static List<String[]> parseMerges(String text) {
        String[] lines = text.split("\n", -1);
        Map<List<String>, Integer> ranks = new LinkedHashMap<>();
        for (int i = 0; i < lines.length - 1; i++) {
            List<String> fields = CharClasses.splitPython(lines[i]);
            if (fields.size() < 2) {
                continue;
            }
            List<String> pair = List.of(fields.get(0), fields.get(1));
            ranks.remove(pair);
            ranks.put(pair, i);
        }
        List<String[]> merges = new ArrayList<>(ranks.size());
        ranks.entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> merges.add(new String[] {e.getKey().get(0), e.getKey().get(1)}));
        return merges;
    }

    /** Writes {@code vocab.json} (keys sorted, as transformers writes them) and {@code merges.txt} without counts. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Integer> sorted = new java.util.TreeMap<>(Vocabulary::compareCodePoints);
            sorted.putAll(tokenToId);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(dir.resolve(VOCAB_FILE).toFile(), sorted);
            StringBuilder lines = new StringBuilder();
            for (String[] merge : merges) {
                lines.append(merge[0]).append(' ').append(merge[1]).append('\n');
            }
            Files.writeString(dir.resolve(MERGES_FILE), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokenizer files to " + dir, e);
        }
    }

    /** Python's sort order for str keys: by code point, not by UTF-16 unit. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    public int size() {
        return tokenToId.size();
    }

    /** The id of {@code token}, or -1. */
    public int id(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? -1 : id;
    }

    /** The token of {@code id}, or null when no token has it. */
    public String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    /** The prompt the checkpoint states (fairseq cfg.task), or null when it states none. */
    public CheckpointPrompt checkpointPrompt() {
        return prompt;
    }

    List<String[]> merges() {
        return merges;
    }
}
