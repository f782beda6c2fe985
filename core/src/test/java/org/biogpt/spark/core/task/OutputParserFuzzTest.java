package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Parsers on random text: never an exception; what does not parse is reported as such. */
class OutputParserFuzzTest {
    private static final OutputParser DDI = new OutputParser(TaskDefinitions.builtIn("ddi"));
    private static final OutputParser BC5CDR = new OutputParser(TaskDefinitions.builtIn("bc5cdr"));
    private static final OutputParser QA = new OutputParser(TaskDefinitions.builtIn("pubmedqa"));
    private static final OutputParser HOC = new OutputParser(TaskDefinitions.builtIn("hoc"));

    @Provide
    Arbitrary<String> generated() {
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> nearMisses = Arbitraries.of("the interaction between ", " and ", " is ", "; ", "learned3 ",
                "the relation between ", " exists", "the answer to the question given the context is ", ".", "(",
                "\\", "$1", "we can conclude that ").list().ofMaxSize(12).map(l -> String.join("", l));
        return Arbitraries.oneOf(noise, nearMisses);
    }

    @Property(tries = 3000)
    void relationParsersNeverThrowAndReportWhatTheyCannotParse(@ForAll("generated") String text,
                                                               @ForAll("generated") String source) {
        for (OutputParser p : new OutputParser[] {DDI, BC5CDR}) {
            RelationOutput out = p.parseRelations(text, source);
            for (Relation r : out.relations()) {
                assertTrue(r.headStart() == -1 || source.regionMatches(true, r.headStart(), r.head(), 0, r.head().length()));
            }
            // Nothing vanishes: every clause that is not blank (by Python's strip, as the original) is a
            // relation or reported as unparsed.
            long clauses = java.util.Arrays.stream(
                    java.util.regex.Pattern.compile(p.task().clauseSeparator()).split(p.answerText(text), -1)).filter(c -> !PyText.strip(c).isEmpty()).count(); // blank as Python sees it
            assertTrue(out.relations().size() + out.unparsed().size() >= clauses, "'" + text + "' lost clauses");
        }
    }

    @Property(tries = 3000)
    void labelParsersNeverThrow(@ForAll("generated") String text) {
        LabelOutput qa = QA.parseLabel(text);
        if (!qa.parsed()) {
            assertTrue(qa.labels().size() <= 1, "an unparsed answer is reported, not a label list: " + qa);
        }
        HOC.parseLabels(text);
    }
}
