package org.biogpt.spark.core.checkpoint;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A fairseq {@code Dictionary} as {@code Dictionary.load} builds it: {@code <s> <pad> </s> <unk>}
 * (ids 0-3), then one symbol per {@code dict.txt} line ({@code word count [#fairseq:overwrite]}),
 * in file order, then the symbols a task adds at load time ({@link #add}). A duplicate word is an
 * error, as in fairseq, unless its line carries {@code #fairseq:overwrite} (then the word gets a
 * new id and the old one keeps its place).
 */
public final class FairseqDictionary {
    /** fairseq's special symbols, in id order. */
    public static final List<String> SPECIALS = List.of("<s>", "<pad>", "</s>", "<unk>");
    private static final String OVERWRITE = "#fairseq:overwrite";
    /** Python's int(): optional sign, digits, underscores between digits. */
    private static final Pattern COUNT = Pattern.compile("[+-]?[0-9](_?[0-9])*");
    private static final Pattern LINE_END = Pattern.compile("\\r\\n|\\r|\\n");
    /** Larger than any real dictionary (BioGPT-Large has 57,717 symbols). */
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    private final List<String> symbols = new ArrayList<>(SPECIALS);
    private final Map<String, Integer> indices = new HashMap<>();
    private final int fileSymbols;

    private FairseqDictionary(Path file, String text) {
        for (int i = 0; i < SPECIALS.size(); i++) {
            indices.put(SPECIALS.get(i), i);
        }
        // Python's text-mode readlines(): \n, \r\n and \r all end a line.
        String[] lines = LINE_END.split(text, -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--; // the final newline ends the last line; it does not start an empty one
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            String line = lines[i].stripTrailing();
            boolean overwrite = false;
            int sp = line.lastIndexOf(' ');
            String field = sp < 0 ? null : line.substring(sp + 1);
            if (OVERWRITE.equals(field)) {
                overwrite = true;
                line = line.substring(0, sp);
                sp = line.lastIndexOf(' ');
                field = sp < 0 ? null : line.substring(sp + 1);
            }
            if (field == null || !isCount(field)) {
                throw new CheckpointException(file + " line " + (i + 1) + ": expected '<token> <count> [flags]', got '"
                        + abbreviate(lines[i]) + "'");
            }
            String word = line.substring(0, sp);
            if (indices.containsKey(word) && !overwrite) {
                throw new CheckpointException(file + " line " + (i + 1) + ": duplicate word '" + abbreviate(word)
                        + "' (fairseq refuses it too; mark the line '" + OVERWRITE + "' to redefine it)");
            }
            indices.put(word, symbols.size());
            symbols.add(word);
            count++;
        }
        this.fileSymbols = count;
    }

    /** Reads a {@code dict.txt} (UTF-8). */
    public static FairseqDictionary read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new CheckpointException(file + " is larger than " + MAX_BYTES + " bytes: not a dictionary");
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return new FairseqDictionary(file, text);
        } catch (CharacterCodingException e) {
            throw new CheckpointException(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** fairseq's {@code add_symbol}: a new word gets the next id; a known one keeps its id. Returns the id. */
    public int add(String word) {
        Integer id = indices.get(word);
        if (id != null) {
            return id;
        }
        indices.put(word, symbols.size());
        symbols.add(word);
        return symbols.size() - 1;
    }

    /** The id of {@code word}, or -1. */
    public int index(String word) {
        Integer id = indices.get(word);
        return id == null ? -1 : id;
    }

    /** All symbols in id order (an overwritten word appears at both of its places). */
    public List<String> symbols() {
        return Collections.unmodifiableList(symbols);
    }

    public int size() {
        return symbols.size();
    }

    /** How many symbols the file itself defined. */
    public int fileSymbols() {
        return fileSymbols;
    }

    private static boolean isCount(String s) {
        return COUNT.matcher(s).matches();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
