package org.biogpt.spark.core.task;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One BioGPT downstream task as data: how its source text is formed, how long it may be, which
 * learned prompt follows it, and how the generated text is read back. The built-ins
 * ({@link TaskDefinitions}) follow microsoft/BioGPT's {@code rebuild_data.py} and
 * {@code postprocess.py}; a JSON file of the same fields adds a task without code.
 *
 * @param name                 task name, e.g. "ddi"
 * @param kind                 which parser reads the output
 * @param sourceTemplate       source text with {@code {field}} placeholders; {@code {field:sentence}} appends
 *                             "." unless the value ends in a non-word character (the title rule of the RE tasks)
 * @param newlines             what happens to '\n' inside field values
 * @param strip                strip leading and trailing white space of the filled template
 * @param endWithPeriod        append "." unless the source already ends with "." (HoC, reasoning-free PubMedQA)
 * @param lowercase            lowercase the source (after the steps above)
 * @param learnedPromptLength  learned prompt length of the original fine-tuning (9 RE/QA, 1 HoC); the prompt
 *                             actually appended is as long as the run of learnedK tokens in the vocabulary
 * @param maxSourceTokens      the original's --max-source-positions; longer sources are cut and end in "..."
 * @param leadPhrases          regexes tried, in order, when the output has no learnedK run: the text after the
 *                             first one that matches is kept (postprocess.py's prefix list without its first entry)
 * @param clauseSeparator      regex splitting the answer into clauses (RE only; "; " DDI/KD-DTI, ";" BC5CDR)
 * @param stripClauses         strip each clause before matching (BC5CDR does, DDI/KD-DTI do not)
 * @param answerPattern        regex of one clause or answer, with groups
 * @param anchored             the pattern must match at the clause start (Python re.match) rather than anywhere
 *                             (re.search)
 * @param targetTemplate       one clause of the training target, with {head}/{tail}/{relation} or {label}
 * @param targetSeparator      joins clauses (RE) or labels (multi-label) in the target
 * @param relationSchema       triple layout (RE only, else null)
 * @param labels               the closed label set (single/multi-label tasks, else empty)
 */
public record TaskDefinition(
        String name,
        TaskKind kind,
        String sourceTemplate,
        NewlineHandling newlines,
        boolean strip,
        boolean endWithPeriod,
        boolean lowercase,
        int learnedPromptLength,
        int maxSourceTokens,
        List<String> leadPhrases,
        String clauseSeparator,
        boolean stripClauses,
        String answerPattern,
        boolean anchored,
        String targetTemplate,
        String targetSeparator,
        RelationSchema relationSchema,
        List<String> labels) implements Serializable {

    public TaskDefinition {
        Objects.requireNonNull(name, "task name");
        Objects.requireNonNull(kind, "task " + name + ": kind");
        Objects.requireNonNull(sourceTemplate, "task " + name + ": source_template");
        Objects.requireNonNull(answerPattern, "task " + name + ": answer_pattern");
        newlines = newlines == null ? NewlineHandling.KEEP : newlines;
        leadPhrases = leadPhrases == null ? List.of() : List.copyOf(leadPhrases);
        labels = labels == null ? List.of() : List.copyOf(labels);
        if (learnedPromptLength < 0) {
            throw new IllegalArgumentException("task " + name + ": learned_prompt_length must be >= 0");
        }
        if (maxSourceTokens < 2) {
            throw new IllegalArgumentException("task " + name + ": max_source_tokens must be >= 2 (room for '...')");
        }
        if (kind == TaskKind.RELATION_EXTRACTION && (relationSchema == null || clauseSeparator == null)) {
            throw new IllegalArgumentException("task " + name + ": relation extraction needs relation_schema and clause_separator");
        }
        if (kind != TaskKind.RELATION_EXTRACTION && labels.isEmpty()) {
            throw new IllegalArgumentException("task " + name + ": a label task needs its labels");
        }
        if (kind == TaskKind.MULTI_LABEL && targetSeparator == null) {
            throw new IllegalArgumentException("task " + name + ": a multi-label task needs target_separator");
        }
        try {
            checkGroups(name, kind, Pattern.compile(answerPattern).matcher("").groupCount(), relationSchema);
            for (String p : leadPhrases) {
                Pattern.compile(p);
            }
            if (clauseSeparator != null) {
                Pattern.compile(clauseSeparator);
            }
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("task " + name + ": bad regex: " + e.getMessage(), e);
        }
    }

    /** The groups the parser reads must exist in answer_pattern: caught when the definition is loaded, not per row. */
    private static void checkGroups(String name, TaskKind kind, int groups, RelationSchema schema) {
        if (kind == TaskKind.RELATION_EXTRACTION) {
            int highest = Math.max(schema.headGroup(), Math.max(schema.tailGroup(), schema.relationGroup()));
            if (highest > groups) {
                throw new IllegalArgumentException("task " + name + ": relation_schema reads group " + highest
                        + " but answer_pattern has " + groups + " group(s)");
            }
        } else if (groups < 1) {
            throw new IllegalArgumentException("task " + name + ": answer_pattern needs a group for the label (group 1)");
        }
    }

    /** This task with another source limit (the same "..." cut, e.g. to leave room for generated tokens). */
    public TaskDefinition withMaxSourceTokens(int max) {
        return new TaskDefinition(name, kind, sourceTemplate, newlines, strip, endWithPeriod, lowercase,
                learnedPromptLength, max, leadPhrases, clauseSeparator, stripClauses, answerPattern, anchored,
                targetTemplate, targetSeparator, relationSchema, labels);
    }

    /** The field names the source template reads, in template order ("title", "abstract", ...). */
    public java.util.List<String> fields() {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?}").matcher(sourceTemplate);
        while (m.find()) {
            if (!out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
