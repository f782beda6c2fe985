package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputParserTest {
    private final OutputParser ddi = new OutputParser(TaskDefinitions.builtIn("ddi"));
    private final OutputParser bc5cdr = new OutputParser(TaskDefinitions.builtIn("bc5cdr"));

    @Test
    void keepsTextAfterTheLastLearnedRunAndDropsOneTrailingPeriod() {
        assertEquals("the interaction between a and b is effect",
                ddi.answerText("source learned1 text learned1 learned2 the interaction between a and b is effect."));
        assertEquals("x.", ddi.answerText("learned9 x.."));
    }

    @Test
    void fallsBackToTheFirstLeadPhraseFoundAndItsLastOccurrence() {
        assertEquals("b", ddi.answerText("we have that a we can conclude that c we can conclude that b"));
        // BC5CDR's list has "in conclusion ," (with the space) first
        assertEquals("the relation between x and y exists", bc5cdr.answerText("in conclusion , the relation between x and y exists."));
        assertEquals("no lead here", ddi.answerText("  no lead here. "));
    }

    @Test
    void relationClausesBecomeTypedTriplesWithSourceSpans() {
        String source = "Aspirin increases the effect of Warfarin.";
        RelationOutput out = ddi.parseRelations(
                "learned1 the interaction between aspirin and warfarin is effect; the interaction between aspirin and heparin is advise.", source);
        assertEquals(List.of(
                new Relation("aspirin", "drug", "effect", "warfarin", "drug", 0, 7, 32, 40),
                new Relation("aspirin", "drug", "advise", "heparin", "drug", 0, 7, -1, -1)), out.relations());
        assertTrue(out.unparsed().isEmpty());
    }

    @Test
    void unparseableClausesAreReportedNotDropped() {
        RelationOutput out = ddi.parseRelations("the interaction between a and b is int; a and c interact", null);
        assertEquals(1, out.relations().size());
        assertEquals(List.of("a and c interact"), out.unparsed());
        assertTrue(ddi.parseRelations("nothing useful", null).failed());
    }

    @Test
    void bc5cdrSplitsOnBareSemicolonsAndStripsClauses() {
        RelationOutput out = bc5cdr.parseRelations("the relation between cocaine and seizures exists;the relation between li and mania exists", null);
        assertEquals(2, out.relations().size());
        assertEquals("li", out.relations().get(1).head());
        assertEquals("CID", out.relations().get(1).relation());
        assertEquals("chemical", out.relations().get(1).headType());
    }

    @Test
    void greedyGroupsSplitAtTheLastAndAsPythonDoes() {
        Relation r = ddi.parseRelations("the interaction between a and b and c is effect", null).relations().get(0);
        assertEquals("a and b", r.head());
        assertEquals("c", r.tail());
    }

    @Test
    void pubmedQaLabelIsTheTextAfterTheAnswerPhrase() {
        OutputParser qa = new OutputParser(TaskDefinitions.builtIn("pubmedqa"));
        assertEquals("maybe", qa.parseLabel("question: q? context: c learned1 learned2 the answer to the question given the context is maybe.").label());
        LabelOutput failed = qa.parseLabel("i do not know");
        assertFalse(failed.parsed());
        assertEquals("failed", failed.label());
    }

    @Test
    void hocLabelsSplitOnBarsAndStrip() {
        OutputParser hoc = new OutputParser(TaskDefinitions.builtIn("hoc"));
        assertEquals(List.of("inducing angiogenesis", "empty"),
                hoc.parseLabels("learned1 the type of this document is inducing angiogenesis | empty.").labels());
    }
}
