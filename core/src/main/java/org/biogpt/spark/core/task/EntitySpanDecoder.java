package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.math.LogitMath;
import org.biogpt.spark.core.tokenizer.Encoding;

/**
 * Token-classification logits to entity spans on the original text, following the Hugging Face
 * {@code TokenClassificationPipeline} (softmax scores, {@code aggregate_words},
 * {@code group_entities}, "O" ignored). Offsets come from the tokenizer's {@link Encoding}.
 *
 * <p>Word boundaries: HF refuses first/average/max for BioGPT because its tokenizer is slow
 * (no offsets, no word ids). Here a piece ending in "&lt;/w&gt;" ends a word and a piece
 * without it continues into the next one, which is exactly BioGPT's BPE word structure; a piece
 * is a subword when the piece before it did not end its word.
 */
public final class EntitySpanDecoder {
    private static final String WORD_END = "</w>";
    private static final String IGNORED = "O";

    private final Map<Integer, String> id2label;

    public EntitySpanDecoder(Map<Integer, String> id2label) {
        if (id2label.isEmpty()) {
            throw new IllegalArgumentException("id2label is empty");
        }
        this.id2label = Map.copyOf(id2label);
    }

    /**
     * @param text     the text that was encoded
     * @param encoding its encoding; position 0 (the prepended {@code </s>}) is skipped as the
     *                 pipeline skips special tokens
     * @param logits   one row of label logits per encoding position
     */
    public List<EntitySpan> decode(String text, Encoding encoding, float[][] logits, AggregationStrategy strategy) {
        if (logits.length != encoding.length()) {
            throw new IllegalArgumentException(logits.length + " logits rows for " + encoding.length() + " tokens");
        }
        List<Scored> tokens = new ArrayList<>();
        for (int i = 1; i < encoding.length(); i++) {
            if (logits[i].length != id2label.size()) {
                throw new IllegalArgumentException("logits row " + i + " has " + logits[i].length
                        + " labels, id2label " + id2label.size());
            }
            boolean subword = i > 1 && !encoding.tokens()[i - 1].endsWith(WORD_END);
            double[] p = LogitMath.softmax(logits[i]);
            int best = LogitMath.argmax(p);
            tokens.add(new Scored(id2label.get(best), p[best], p, encoding.starts()[i], encoding.ends()[i], subword));
        }
        List<Scored> units = switch (strategy) {
            case NONE, SIMPLE -> tokens;
            case FIRST, AVERAGE, MAX -> aggregateWords(tokens, strategy);
        };
        List<EntitySpan> out = new ArrayList<>();
        if (strategy == AggregationStrategy.NONE) {
            for (Scored t : units) {
                if (!t.label.equals(IGNORED)) {
                    out.add(new EntitySpan(t.label, t.start, t.end, text.substring(t.start, t.end), t.score));
                }
            }
            return out;
        }
        for (EntitySpan group : groupEntities(text, units)) {
            if (!group.label().equals(IGNORED)) {
                out.add(group);
            }
        }
        return out;
    }

    /** aggregate_words + aggregate_word: one labelled unit per word. */
    private List<Scored> aggregateWords(List<Scored> tokens, AggregationStrategy strategy) {
        List<Scored> words = new ArrayList<>();
        List<Scored> word = new ArrayList<>();
        for (Scored t : tokens) {
            if (!word.isEmpty() && !t.subword) {
                words.add(aggregateWord(word, strategy));
                word = new ArrayList<>();
            }
            word.add(t);
        }
        if (!word.isEmpty()) {
            words.add(aggregateWord(word, strategy));
        }
        return words;
    }

    private Scored aggregateWord(List<Scored> pieces, AggregationStrategy strategy) {
        double[] scores;
        switch (strategy) {
            case FIRST -> scores = pieces.get(0).probs;
            case MAX -> {
                // Python max(): the first piece whose top probability is the largest
                Scored top = pieces.get(0);
                for (Scored s : pieces) {
                    if (s.score > top.score) {
                        top = s;
                    }
                }
                scores = top.probs;
            }
            case AVERAGE -> {
                scores = new double[pieces.get(0).probs.length];
                for (Scored s : pieces) {
                    for (int k = 0; k < scores.length; k++) {
                        scores[k] += s.probs[k] / pieces.size();
                    }
                }
            }
            default -> throw new IllegalArgumentException(strategy + " does not aggregate words");
        }
        int best = LogitMath.argmax(scores);
        Scored first = pieces.get(0);
        Scored last = pieces.get(pieces.size() - 1);
        return new Scored(id2label.get(best), scores[best], scores, first.start, last.end, false);
    }

    /** group_entities + group_sub_entities. */
    private static List<EntitySpan> groupEntities(String text, List<Scored> units) {
        List<EntitySpan> groups = new ArrayList<>();
        List<Scored> current = new ArrayList<>();
        for (Scored u : units) {
            if (!current.isEmpty()) {
                String[] tag = tag(u.label);
                String[] lastTag = tag(current.get(current.size() - 1).label);
                if (!(tag[1].equals(lastTag[1]) && !tag[0].equals("B"))) {
                    groups.add(group(text, current));
                    current = new ArrayList<>();
                }
            }
            current.add(u);
        }
        if (!current.isEmpty()) {
            groups.add(group(text, current));
        }
        return groups;
    }

    private static EntitySpan group(String text, List<Scored> members) {
        double mean = 0;
        for (Scored m : members) {
            mean += m.score / members.size();
        }
        int start = members.get(0).start;
        int end = members.get(members.size() - 1).end;
        return new EntitySpan(tag(members.get(0).label)[1], start, end, text.substring(start, end), mean);
    }

    /** get_tag: ("B", X) for "B-X", ("I", X) for "I-X", else ("I", label). */
    private static String[] tag(String label) {
        if (label.startsWith("B-")) {
            return new String[] {"B", label.substring(2)};
        }
        if (label.startsWith("I-")) {
            return new String[] {"I", label.substring(2)};
        }
        return new String[] {"I", label};
    }

    private record Scored(String label, double score, double[] probs, int start, int end, boolean subword) {
    }
}
