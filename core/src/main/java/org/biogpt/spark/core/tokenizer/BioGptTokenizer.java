package org.biogpt.spark.core.tokenizer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The BioGPT tokenizer with Hugging Face {@code BioGptTokenizer} parity: literal special tokens
 * split out first, Moses (English, aggressive dash splits, escaping) on the text between them,
 * BPE per Moses token, and {@code </s>} (id 2) prepended; nothing appended.
 *
 * <p>Thread-safe and serializable: only the vocabulary travels; the BPE tables and cache are
 * rebuilt on the receiving side.
 */
public final class BioGptTokenizer implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Matched in the raw text before Moses, as transformers' added-token trie does. */
    private static final String[] SPECIAL_TOKENS = {"<s>", "<pad>", "</s>", "<unk>"};

    private final Vocabulary vocabulary;
    private final transient Bpe bpe;
    private final transient MosesTokenizer moses = new MosesTokenizer();
    private final transient MosesDetokenizer detokenizer = new MosesDetokenizer();
    private final transient int[] specialIds;
    private final transient int sepId;
    private final transient int padId;
    private final transient int unkId;
    private final transient int sosId;

    BioGptTokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.specialIds = new int[SPECIAL_TOKENS.length];
        for (int i = 0; i < SPECIAL_TOKENS.length; i++) {
            specialIds[i] = requireId(vocabulary, SPECIAL_TOKENS[i]);
        }
        this.sosId = specialIds[0];
        this.padId = specialIds[1];
        this.sepId = specialIds[2];
        this.unkId = specialIds[3];
        this.bpe = new Bpe(vocabulary, unkId);
    }

    private static int requireId(Vocabulary vocabulary, String token) {
        int id = vocabulary.id(token);
        if (id < 0) {
            throw new IllegalArgumentException("vocab.json has no special token " + token);
        }
        return id;
    }

    /** Reads {@code vocab.json} and {@code merges.txt} of a Hugging Face BioGPT checkpoint directory. */
    public static BioGptTokenizer load(Path modelDir) {
        return new BioGptTokenizer(Vocabulary.load(modelDir));
    }

    /** Ids, tokens and original-text spans; the first token is {@code </s>} with span [0, 0]. */
    public Encoding encode(String text) {
        requireText(text);
        Builder out = new Builder(text.length() / 4 + 8, true);
        out.add(sepId, SPECIAL_TOKENS[2], 0, 0);
        tokenizeInto(text, out);
        return out.toEncoding();
    }

    /** The ids of {@link #encode(String)} without computing spans. */
    public int[] encodeIds(String text) {
        requireText(text);
        Builder out = new Builder(text.length() / 4 + 8, false);
        out.add(sepId, null, 0, 0);
        tokenizeInto(text, out);
        return Arrays.copyOf(out.ids, out.size);
    }

    private static void requireText(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text to tokenize is null");
        }
    }

    private void tokenizeInto(String text, Builder out) {
        int segmentStart = 0;
        int i = text.indexOf('<');
        while (i >= 0) {
            int special = specialAt(text, i);
            if (special >= 0) {
                tokenizeSegment(text, segmentStart, i, out);
                int end = i + SPECIAL_TOKENS[special].length();
                out.add(specialIds[special], SPECIAL_TOKENS[special], i, end);
                segmentStart = end;
                i = text.indexOf('<', end);
            } else {
                i = text.indexOf('<', i + 1);
            }
        }
        tokenizeSegment(text, segmentStart, text.length(), out);
    }

    private static int specialAt(String text, int at) {
        for (int s = 0; s < SPECIAL_TOKENS.length; s++) {
            if (text.startsWith(SPECIAL_TOKENS[s], at)) {
                return s;
            }
        }
        return -1;
    }

    private void tokenizeSegment(String text, int from, int to, Builder out) {
        if (from >= to) {
            return;
        }
        List<String> words = moses.tokenize(text.substring(from, to));
        OffsetAligner aligner = out.withSpans ? new OffsetAligner(text, from, to) : null;
        int[] starts = new int[0];
        int[] ends = new int[0];
        for (String word : words) {
            Bpe.Pieces pieces = bpe.encode(word);
            if (aligner == null) {
                for (int id : pieces.ids) {
                    out.add(id, null, 0, 0);
                }
                continue;
            }
            if (starts.length < word.length()) {
                starts = new int[word.length() * 2];
                ends = new int[word.length() * 2];
            }
            aligner.align(word, starts, ends);
            int k = 0;
            for (int p = 0; p < pieces.ids.length; p++) {
                String piece = pieces.pieces[p];
                int chars = piece.endsWith(Bpe.WORD_END) && p == pieces.ids.length - 1
                        ? piece.length() - Bpe.WORD_END.length() : piece.length();
                int start = starts[k];
                int end = ends[k + chars - 1];
                out.add(pieces.ids[p], vocabulary.token(pieces.ids[p]), start, end);
                k += chars;
            }
        }
    }

    /** Decodes with transformers' clean_up_tokenization_spaces=True. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, skipSpecialTokens, true);
    }

    /**
     * transformers' decode: drop the special ids when asked ({@code <unk>} included), join the
     * pieces ({@code </w>} ends a word), Moses-detokenize, then optionally clean up spaces.
     */
    public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpSpaces) {
        Objects.requireNonNull(ids, "ids to decode are null");
        StringBuilder joined = new StringBuilder();
        boolean any = false;
        for (int id : ids) {
            if (skipSpecialTokens && isSpecial(id)) {
                continue;
            }
            String token = vocabulary.token(id);
            if (token == null) {
                token = SPECIAL_TOKENS[3];
            }
            joined.append(token.replace(" ", "").replace(Bpe.WORD_END, " "));
            any = true;
        }
        if (!any) {
            return "";
        }
        String text = detokenizer.detokenize(CharClasses.splitPython(joined.toString()));
        return cleanUpSpaces ? cleanUpTokenization(text) : text;
    }

    private boolean isSpecial(int id) {
        for (int special : specialIds) {
            if (special == id) {
                return true;
            }
        }
        return false;
    }

    /** transformers' PreTrainedTokenizerBase.clean_up_tokenization. */
    static String cleanUpTokenization(String text) {
        return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    /** Writes vocab.json and merges.txt that load back to the same ids. */
    public void saveVocabulary(Path dir) {
        vocabulary.save(dir);
    }

    public int vocabSize() {
        return vocabulary.size();
    }

    /** The prompt the checkpoint's configuration states (fairseq cfg.task), or null (Hub checkpoints). */
    public CheckpointPrompt checkpointPrompt() {
        return vocabulary.checkpointPrompt();
    }

    /** The id of a vocabulary token, or -1. */
    public int tokenToId(String token) {
        return vocabulary.id(token);
    }

    /** The vocabulary token of an id, or null when no token has it. */
    public String idToToken(int id) {
        return vocabulary.token(id);
    }

    /** The id {@link #encode} puts first: {@code </s>} (2), as the reference does, not {@code <s>}. */
    public int bosId() {
        return sepId;
    }

    /** {@code </s>} (2), also the end-of-sequence id of generation. */
    public int eosId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    /** {@code <s>} (0): the config's bos_token_id, which generation without a prompt starts from. */
    public int startOfSequenceId() {
        return sosId;
    }

    private Object readResolve() throws ObjectStreamException {
        return new BioGptTokenizer(vocabulary);
    }

    /** Growable parallel arrays of one encoding. */
    private static final class Builder {
        final boolean withSpans;
        int[] ids;
        String[] tokens;
        int[] starts;
        int[] ends;
        int size;

        Builder(int capacity, boolean withSpans) {
            this.withSpans = withSpans;
            ids = new int[capacity];
            if (withSpans) {
                tokens = new String[capacity];
                starts = new int[capacity];
                ends = new int[capacity];
            }
        }

        void add(int id, String token, int start, int end) {
            if (size == ids.length) {
                int capacity = size * 2;
                ids = Arrays.copyOf(ids, capacity);
                if (withSpans) {
                    tokens = Arrays.copyOf(tokens, capacity);
                    starts = Arrays.copyOf(starts, capacity);
                    ends = Arrays.copyOf(ends, capacity);
                }
            }
            ids[size] = id;
            if (withSpans) {
                tokens[size] = token;
                starts[size] = start;
                ends[size] = end;
            }
            size++;
        }

        Encoding toEncoding() {
            return new Encoding(Arrays.copyOf(ids, size), Arrays.copyOf(tokens, size),
                    Arrays.copyOf(starts, size), Arrays.copyOf(ends, size));
        }
    }
}
