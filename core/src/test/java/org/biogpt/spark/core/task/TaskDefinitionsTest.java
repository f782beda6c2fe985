package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskDefinitionsTest {
    @Test
    void builtInsCarryTheOriginalSettings() {
        assertEquals(List.of("bc5cdr", "kd-dti", "ddi", "pubmedqa", "pubmedqa-reasoning-free", "hoc"),
                List.copyOf(TaskDefinitions.builtIns().keySet()));
        assertEquals(640, TaskDefinitions.builtIn("ddi").maxSourceTokens());
        assertEquals(9, TaskDefinitions.builtIn("kd-dti").learnedPromptLength());
        assertEquals(1, TaskDefinitions.builtIn("hoc").learnedPromptLength());
        assertEquals(900, TaskDefinitions.builtIn("pubmedqa").maxSourceTokens());
        assertEquals(11, TaskDefinitions.builtIn("hoc").labels().size());
        assertThrows(IllegalArgumentException.class, () -> TaskDefinitions.builtIn("ner"));
    }

    @Test
    void aUserTaskFromJsonBuildsPromptsAndParsesWithoutNewCode(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tasks.json");
        Files.writeString(file, """
                [{"name": "gene-disease", "kind": "RELATION_EXTRACTION", "source_template": "{title:sentence} {abstract}",
                  "lowercase": true, "learned_prompt_length": 9, "max_source_tokens": 512,
                  "clause_separator": "; ", "answer_pattern": "(.*) is associated with (.*)", "anchored": true,
                  "target_template": "{head} is associated with {tail}", "target_separator": "; ",
                  "relation_schema": {"head_type": "gene", "tail_type": "disease", "head_group": 1, "tail_group": 2,
                                      "relation_group": 0, "fixed_relation": "associated"}}]
                """);
        TaskDefinition task = TaskDefinitions.read(file).get(0);
        assertEquals("brca1 in cancer. text", PromptBuilder.source(task, Map.of("title", "BRCA1 in cancer", "abstract", "Text")));
        Relation r = new OutputParser(task).parseRelations("learned1 brca1 is associated with breast cancer.", "BRCA1 in breast cancer").relations().get(0);
        assertEquals(new Relation("brca1", "gene", "associated", "breast cancer", "disease", 0, 5, 9, 22), r);
    }

    @Test
    void aBadDefinitionIsAClearError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "[{\"name\": \"x\", \"kind\": \"SINGLE_LABEL\", \"source_template\": \"{text}\", \"max_source_tokens\": 10, \"answer_pattern\": \"(.*\"}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskDefinitions.read(file));
        assertEquals(true, e.getMessage().contains("bad task \"x\""), e.getMessage());
    }

    @Test
    void resolveTakesABuiltInNameAJsonDefinitionOrAFile(@TempDir Path dir) throws IOException {
        assertEquals(TaskDefinitions.builtIn("ddi"), TaskDefinitions.resolve(" ddi "));
        String json = "{\"name\": \"g\", \"kind\": \"RELATION_EXTRACTION\", \"source_template\": \"{abstract}\","
                + " \"max_source_tokens\": 100, \"clause_separator\": \"; \", \"answer_pattern\": \"(.*) binds (.*)\","
                + " \"relation_schema\": {\"head_type\": \"protein\", \"tail_type\": \"protein\", \"head_group\": 1,"
                + " \"tail_group\": 2, \"fixed_relation\": \"binds\"}}";
        TaskDefinition inline = TaskDefinitions.resolve(json);
        assertEquals("g", inline.name());
        assertEquals(100, inline.maxSourceTokens());
        assertEquals(List.of("abstract"), inline.fields());
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"tasks\": [" + json + "]}");
        assertEquals(inline, TaskDefinitions.resolve(file.toString()));
        assertEquals(inline, TaskDefinitions.resolve("[" + json + "]"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> TaskDefinitions.resolve("chemprot"));
        assertEquals(true, unknown.getMessage().contains("unknown task 'chemprot'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskDefinitions.resolve("{\"name\": "));
        assertThrows(IllegalArgumentException.class, () -> TaskDefinitions.resolve(" "));
    }

    @Test
    void templateFieldsAndAShorterSourceLimit() {
        TaskDefinition bc5cdr = TaskDefinitions.builtIn("bc5cdr");
        assertEquals(List.of("title", "abstract"), bc5cdr.fields());
        assertEquals(List.of("question", "context", "long_answer"), TaskDefinitions.builtIn("pubmedqa-reasoning-free").fields());
        TaskDefinition shorter = bc5cdr.withMaxSourceTokens(50);
        assertEquals(50, shorter.maxSourceTokens());
        assertEquals(bc5cdr.answerPattern(), shorter.answerPattern());
        assertEquals(bc5cdr.relationSchema(), shorter.relationSchema());
    }
}
