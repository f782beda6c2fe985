package org.biogpt.spark.jobs.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.ProjectHome;

/**
 * The prompts of the Hugging Face reference benchmark's greedy run ({@code bench_hf.py --batch-gen B}):
 * the first sentence of each of the first B abstracts of the BC5CDR test set, in the set's order,
 * tokenized with the leading {@code </s>} (left-padded by the generator). The bundled
 * {@code sample-data/corpus/bc5cdr-test-200.jsonl} holds those abstracts in that order (field
 * {@code text}), so {@code bench --reference-prompts} prefills and decodes the very prompts the
 * reference does, and a ratio to its figures compares like with like.
 */
public final class ReferencePrompts {
    /** The reference's sentence splitting ({@code texts.split_sentences}): whitespace runs become one space. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    /** ... then a sentence ends after . ! or ? followed by whitespace and an upper-case ASCII letter, a digit, ( or [. */
    private static final Pattern SENTENCE_BREAK = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z0-9(\\[])", Pattern.UNICODE_CHARACTER_CLASS);

    private ReferencePrompts() {
    }

    /** The bundled abstracts the reference reads. */
    public static Path bundledAbstracts() {
        return ProjectHome.home().resolve("sample-data/corpus/bc5cdr-test-200.jsonl");
    }

    /** These prompts as a benchmark's prompt source, tokenized by {@code tokenizer}. */
    public static GenerationBenchmark.Prompts source(Path abstracts, BioGptTokenizer tokenizer) {
        return new GenerationBenchmark.Prompts("reference prompts", b -> of(abstracts, tokenizer, b));
    }

    /** The first {@code batch} prompts, token ids with the leading {@code </s>}. */
    public static List<int[]> of(Path abstracts, BioGptTokenizer tokenizer, int batch) {
        // A task that reads only each document's text: the reference's prompt is cut from the abstract alone.
        BenchDocuments docs = BenchDocuments.read(abstracts, BenchTask.parse("classify"), batch);
        List<int[]> out = new ArrayList<>(batch);
        for (List<String> row : docs.rows()) {
            out.add(tokenizer.encodeIds(firstSentence(row.get(0))));
        }
        return out;
    }

    /** The text's first sentence as the reference splits it (the whole text, trimmed, when it has no break). */
    static String firstSentence(String text) {
        String flat = WHITESPACE.matcher(text).replaceAll(" ").strip();
        for (String s : SENTENCE_BREAK.split(flat)) {
            if (!s.isBlank()) {
                return s.strip();
            }
        }
        throw new IllegalArgumentException("a document's text is blank: no prompt to cut from it");
    }
}
