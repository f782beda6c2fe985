package org.biogpt.spark.core.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding of one Moses token as transformers' {@code BioGptTokenizer.bpe} does it: the
 * token's code points, the last one marked {@code </w>}, then repeatedly merge every occurrence
 * (left to right) of the adjacent pair with the lowest merge rank until none is ranked.
 *
 * <p>Pieces are interned as symbol ids and pairs looked up in a primitive hash table, so a merge
 * step allocates nothing. Results are cached per token in a bounded concurrent map (cleared when
 * full: simple, thread-safe, and biomedical text reuses a small set of words).
 */
final class Bpe {
    static final String WORD_END = "</w>";
    private static final int CACHE_LIMIT = 200_000;

    /** A token's pieces and their vocabulary ids ({@code unk} for a piece the vocabulary lacks). */
    static final class Pieces {
        final String[] pieces;
        final int[] ids;

        Pieces(String[] pieces, int[] ids) {
            this.pieces = pieces;
            this.ids = ids;
        }
    }

    private final Map<String, Integer> symbolIds = new HashMap<>();
    private String[] symbols = new String[1024];
    private int symbolCount;
    private final PairTable pairs;
    private final Vocabulary vocabulary;
    private final int unkId;
    private final Map<String, Pieces> cache = new ConcurrentHashMap<>();

    Bpe(Vocabulary vocabulary, int unkId) {
        this.vocabulary = vocabulary;
        this.unkId = unkId;
        List<String[]> merges = vocabulary.merges();
        pairs = new PairTable(merges.size() * 2 + 16);
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] merge = merges.get(rank);
            int left = intern(merge[0]);
            int right = intern(merge[1]);
            int merged = intern(merge[0] + merge[1]);
            pairs.put(left, right, rank, merged);
        }
    }

    private int intern(String symbol) {
        Integer id = symbolIds.get(symbol);
        if (id != null) {
            return id;
        }
        if (symbolCount == symbols.length) {
            symbols = Arrays.copyOf(symbols, symbolCount * 2);
        }
        symbols[symbolCount] = symbol;
        symbolIds.put(symbol, symbolCount);
        return symbolCount++;
    }

    /** The pieces of one non-empty Moses token. */
    Pieces encode(String token) {
        Pieces cached = cache.get(token);
        if (cached != null) {
            return cached;
        }
        Pieces pieces = compute(token);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(token, pieces);
        return pieces;
    }

    private Pieces compute(String token) {
        int n = token.codePointCount(0, token.length());
        // Each entry is a symbol id; a character that no merge mentions gets -1 - its index, so it
        // never pairs and its text is recovered from the token itself.
        int[] syms = new int[n];
        String[] text = new String[n];
        int offset = 0;
        for (int k = 0; k < n; k++) {
            int cp = token.codePointAt(offset);
            int next = offset + Character.charCount(cp);
            String piece = k == n - 1 ? token.substring(offset) + WORD_END : token.substring(offset, next);
            Integer id = symbolIds.get(piece);
            syms[k] = id == null ? -1 : id;
            text[k] = piece;
            offset = next;
        }
        int length = n;
        while (length > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestLeft = -1;
            int bestRight = -1;
            for (int k = 0; k + 1 < length; k++) {
                if (syms[k] < 0 || syms[k + 1] < 0) {
                    continue;
                }
                int slot = pairs.find(syms[k], syms[k + 1]);
                if (slot >= 0 && pairs.rank(slot) < bestRank) {
                    bestRank = pairs.rank(slot);
                    bestLeft = syms[k];
                    bestRight = syms[k + 1];
                }
            }
            if (bestLeft < 0) {
                break;
            }
            int merged = pairs.merged(pairs.find(bestLeft, bestRight));
            int w = 0;
            for (int k = 0; k < length; k++) {
                if (k + 1 < length && syms[k] == bestLeft && syms[k + 1] == bestRight) {
                    syms[w] = merged;
                    text[w] = symbols[merged];
                    k++;
                } else {
                    syms[w] = syms[k];
                    text[w] = text[k];
                }
                w++;
            }
            length = w;
        }
        String[] pieces = Arrays.copyOf(text, length);
        int[] ids = new int[length];
        for (int k = 0; k < length; k++) {
            int id = vocabulary.id(pieces[k]);
            ids[k] = id < 0 ? unkId : id;
        }
        return new Pieces(pieces, ids);
    }

    /** Open-addressing table from a (left, right) symbol pair to its rank and merged symbol. */
    private static final class PairTable {
        private final long[] keys;
        private final int[] ranks;
        private final int[] mergedIds;
        private final int mask;

        PairTable(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected) * 2);
            keys = new long[capacity];
            Arrays.fill(keys, -1L);
            ranks = new int[capacity];
            mergedIds = new int[capacity];
            mask = capacity - 1;
        }

        private static long key(int left, int right) {
            return ((long) left << 32) | (right & 0xFFFFFFFFL);
        }

        private int slotOf(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }

        void put(int left, int right, int rank, int merged) {
            long key = key(left, right);
            int slot = slotOf(key);
            while (keys[slot] != -1L && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            ranks[slot] = rank;
            mergedIds[slot] = merged;
        }

        int find(int left, int right) {
            long key = key(left, right);
            int slot = slotOf(key);
            while (keys[slot] != -1L) {
                if (keys[slot] == key) {
                    return slot;
                }
                slot = (slot + 1) & mask;
            }
            return -1;
        }

        int rank(int slot) {
            return ranks[slot];
        }

        int merged(int slot) {
            return mergedIds[slot];
        }
    }
}
