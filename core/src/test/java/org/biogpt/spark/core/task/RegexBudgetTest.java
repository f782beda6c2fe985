package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** User-supplied task patterns cannot hang a task: each parse has a step budget; bad group indexes fail at load. */
class RegexBudgetTest {
    private static final String CATASTROPHIC = "(.*)(.*)(.*)(.*)(.*)(.*)(.*)(.*)!";

    private static TaskDefinition labelTask(String answerPattern, List<String> leads) {
        return TaskDefinitions.resolve("{\"name\": \"hostile\", \"kind\": \"SINGLE_LABEL\", \"source_template\": \"{text}\","
                + " \"max_source_tokens\": 100, \"labels\": [\"yes\", \"no\"], \"answer_pattern\": \""
                + answerPattern.replace("\\", "\\\\") + "\", \"lead_phrases\": [" + String.join(",",
                        leads.stream().map(l -> "\"" + l.replace("\\", "\\\\") + "\"").toList()) + "]}");
    }

    private static TaskDefinition relationTask(String answerPattern, String clauseSeparator, int relationGroup) {
        return TaskDefinitions.resolve("{\"name\": \"hostile-re\", \"kind\": \"RELATION_EXTRACTION\", \"source_template\": \"{abstract}\","
                + " \"max_source_tokens\": 100, \"clause_separator\": \"" + clauseSeparator + "\", \"answer_pattern\": \""
                + answerPattern + "\", \"anchored\": true, \"relation_schema\": {\"head_type\": \"a\", \"tail_type\": \"b\","
                + " \"head_group\": 1, \"tail_group\": 2, \"relation_group\": " + relationGroup
                + (relationGroup == 0 ? ", \"fixed_relation\": \"r\"" : "") + "}}");
    }

    @Test
    @Timeout(120) // a guard against this very bug, not a measurement: without the budget the match runs for hours
    void aCatastrophicAnswerPatternFailsTheRowWithAReason() {
        OutputParser parser = new OutputParser(labelTask(CATASTROPHIC, List.of()));
        String output = "the answer is " + "a".repeat(200);
        RegexBudgetExceededException e = assertThrows(RegexBudgetExceededException.class, () -> parser.parseLabel(output));
        assertTrue(e.getMessage().contains("task hostile") && e.getMessage().contains("answer_pattern")
                && e.getMessage().contains("214-character output"), e.getMessage());
    }

    @Test
    @Timeout(120)
    void aCatastrophicAnchoredRelationPatternFailsTheRowWithAReason() {
        OutputParser parser = new OutputParser(relationTask(CATASTROPHIC, "; ", 0));
        RegexBudgetExceededException e = assertThrows(RegexBudgetExceededException.class,
                () -> parser.parseRelations("learned1 " + "a".repeat(200), null));
        assertTrue(e.getMessage().contains("answer_pattern"), e.getMessage());
    }

    @Test
    @Timeout(120)
    void aCatastrophicLeadPhraseIsBoundedToo() {
        OutputParser parser = new OutputParser(labelTask("is (.*)", List.of("(.*)(.*)(.*)(.*)(.*)(.*)(.*)(.*)#")));
        RegexBudgetExceededException e = assertThrows(RegexBudgetExceededException.class,
                () -> parser.parseLabel("x".repeat(200) + " is yes"));
        assertTrue(e.getMessage().contains("lead phrase"), e.getMessage());
    }

    @Test
    void ordinaryOutputsParseWithinTheBudgetAsBefore() {
        OutputParser ddi = new OutputParser(TaskDefinitions.builtIn("ddi"));
        String clause = "the interaction between aspirin and warfarin is effect";
        // 200 clauses, about 11,000 characters: the built-in pattern stays far below the budget
        RelationOutput out = ddi.parseRelations("learned1 " + String.join("; ", java.util.Collections.nCopies(200, clause)) + ".", null);
        assertEquals(200, out.relations().size());
        assertEquals("effect", out.relations().get(199).relation());
        assertEquals("yes", new OutputParser(TaskDefinitions.builtIn("pubmedqa"))
                .parseLabel("learned1 the answer to the question given the context is yes.").label());
    }

    @Test
    void aSmallBudgetStopsEvenABenignPattern() {
        OutputParser tight = new OutputParser(TaskDefinitions.builtIn("pubmedqa"), 10);
        assertThrows(RegexBudgetExceededException.class,
                () -> tight.parseLabel("the answer to the question given the context is yes."));
    }

    @Test
    void groupIndexesBeyondThePatternAreRefusedWhenTheDefinitionIsLoaded() {
        IllegalArgumentException re = assertThrows(IllegalArgumentException.class,
                () -> relationTask("(.*) binds (.*) via (.*)", "; ", 4));
        assertTrue(re.getMessage().contains("relation_schema reads group 4 but answer_pattern has 3 group(s)"), re.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> labelTask("the answer is yes", List.of()));
        assertTrue(label.getMessage().contains("answer_pattern needs a group for the label"), label.getMessage());
    }
}
