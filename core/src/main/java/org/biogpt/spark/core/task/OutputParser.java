package org.biogpt.spark.core.task;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a task's generated text back as the original {@code postprocess.py} does: keep the text
 * after the last run of learned tokens (else after the first lead phrase found), drop one
 * trailing period, then split and match clauses (relation tasks) or find the answer (label tasks).
 * The text may be the whole sequence (source, learned tokens, answer) or the answer alone.
 */
public final class OutputParser {
    /** Python's {@code .} matches everything but '\n' and its \w, \s are Unicode-aware. */
    static final int PYTHON_FLAGS = Pattern.UNIX_LINES | Pattern.UNICODE_CHARACTER_CLASS;
    /** The first entry of every postprocess.py prefix list. */
    private static final Pattern LEARNED_RUN = Pattern.compile("(learned[0-9]+ )+", PYTHON_FLAGS);

    private final TaskDefinition task;
    private final List<Pattern> leads = new ArrayList<>();
    private final Pattern answer;
    private final Pattern clauseSeparator;
    private final long matchSteps;

    public OutputParser(TaskDefinition task) {
        this(task, MatchBudget.DEFAULT_STEPS);
    }

    /** @param matchSteps character reads the task's patterns may make per parsed output (see {@link MatchBudget}) */
    OutputParser(TaskDefinition task, long matchSteps) {
        this.task = task;
        this.matchSteps = matchSteps;
        leads.add(LEARNED_RUN);
        for (String lead : task.leadPhrases()) {
            leads.add(Pattern.compile(lead, PYTHON_FLAGS));
        }
        this.answer = Pattern.compile(task.answerPattern(), PYTHON_FLAGS);
        this.clauseSeparator = task.clauseSeparator() == null ? null : Pattern.compile(task.clauseSeparator(), PYTHON_FLAGS);
    }

    public TaskDefinition task() {
        return task;
    }

    /**
     * The answer part of a generated text: stripped, one trailing "." dropped, then (first prefix
     * that occurs wins) the text after its last occurrence, stripped again.
     *
     * @throws RegexBudgetExceededException when a lead phrase backtracks past the match budget
     */
    public String answerText(String generated) {
        return answerText(generated, budget());
    }

    private String answerText(String generated, MatchBudget budget) {
        String line = PyText.strip(generated);
        if (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        for (Pattern lead : leads) {
            Matcher m = lead.matcher(budget.wrap(line, lead == LEARNED_RUN ? "learned-token pattern" : "lead phrase"));
            int end = -1;
            while (m.find()) {
                end = m.end();
            }
            if (end >= 0) {
                return PyText.strip(line.substring(end));
            }
        }
        return line;
    }

    /**
     * Triples of a relation task. {@code source} is the text to locate the names in (the
     * document's title and abstract, any case); null leaves every span at -1.
     *
     * @throws RegexBudgetExceededException when the task's patterns backtrack past the match budget on this output
     */
    public RelationOutput parseRelations(String generated, String source) {
        RelationSchema schema = task.relationSchema();
        if (schema == null) {
            throw new IllegalStateException("task " + task.name() + " is not a relation extraction task");
        }
        List<Relation> relations = new ArrayList<>();
        List<String> unparsed = new ArrayList<>();
        MatchBudget budget = budget();
        for (String clause : split(clauseSeparator, answerText(generated, budget), budget)) {
            String text = task.stripClauses() ? PyText.strip(clause) : clause;
            Matcher m = answer.matcher(budget.wrap(text, "answer_pattern"));
            if (task.anchored() ? m.lookingAt() : m.find()) {
                String head = PyText.strip(m.group(schema.headGroup()));
                String tail = PyText.strip(m.group(schema.tailGroup()));
                String relation = schema.relationGroup() > 0 ? PyText.strip(m.group(schema.relationGroup())) : schema.fixedRelation();
                int hs = indexOfIgnoreCase(source, head);
                int ts = indexOfIgnoreCase(source, tail);
                relations.add(new Relation(head, schema.headType(), relation, tail, schema.tailType(),
                        hs, hs < 0 ? -1 : hs + head.length(), ts, ts < 0 ? -1 : ts + tail.length()));
            } else if (!clause.isBlank()) {
                unparsed.add(clause);
            }
        }
        return new RelationOutput(relations, unparsed);
    }

    /** The label of a single-label task (PubMedQA): the stripped text after the answer phrase. */
    public LabelOutput parseLabel(String generated) {
        Matcher m = matchAnswer(generated);
        return m == null ? new LabelOutput(List.of(), false) : new LabelOutput(List.of(PyText.strip(m.group(1))), true);
    }

    /** The labels of a multi-label task (HoC): the answer split on the task's separator, each stripped. */
    public LabelOutput parseLabels(String generated) {
        Matcher m = matchAnswer(generated);
        if (m == null) {
            return new LabelOutput(List.of(), false);
        }
        List<String> labels = new ArrayList<>();
        for (String label : PyText.strip(m.group(1)).split(Pattern.quote(task.targetSeparator()), -1)) {
            labels.add(PyText.strip(label));
        }
        return new LabelOutput(labels, true);
    }

    private Matcher matchAnswer(String generated) {
        MatchBudget budget = budget();
        Matcher m = answer.matcher(budget.wrap(answerText(generated, budget), "answer_pattern"));
        boolean found = task.anchored() ? m.lookingAt() : m.find();
        return found ? m : null;
    }

    private MatchBudget budget() {
        return new MatchBudget(matchSteps, task.name());
    }

    /** {@code Pattern.split(text, -1)} with the separator's reads charged to the budget. */
    private static List<String> split(Pattern separator, String text, MatchBudget budget) {
        CharSequence counted = budget.wrap(text, "clause_separator");
        List<String> out = new ArrayList<>();
        for (CharSequence part : separator.split(counted, -1)) {
            out.add(part.toString());
        }
        return out;
    }

    /** First case-insensitive occurrence of {@code name} in {@code text}, or -1. */
    static int indexOfIgnoreCase(String text, String name) {
        if (text == null || name.isEmpty()) {
            return -1;
        }
        for (int i = 0; i + name.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, name, 0, name.length())) {
                return i;
            }
        }
        return -1;
    }
}
