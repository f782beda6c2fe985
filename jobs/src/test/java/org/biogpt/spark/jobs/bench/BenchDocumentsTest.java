package org.biogpt.spark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task benchmark reads exactly the documents it was asked for, in each stage's column order, or says why not. */
class BenchDocumentsTest {

    private static int files;

    private static Path file(Path dir, String... lines) throws Exception {
        Path f = dir.resolve("docs-" + files++ + ".jsonl");
        Files.write(f, Arrays.asList(lines));
        return f;
    }

    @Test
    void fieldsFollowTheStagesInputColumnsAndBlankLinesAreSkipped(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "{\"id\": \"a\", \"title\": \"T\", \"text\": \"Abstract one.\", \"question\": \"Q?\"}", "",
                "{\"text\": \"Abstract two.\", \"question\": \"Why?\"}");
        BenchDocuments rel = BenchDocuments.read(f, BenchTask.parse("relations:bc5cdr"), 2);
        assertEquals(List.of("a", "3"), rel.ids(), "a document without an id is named by its line");
        assertEquals(List.of("Abstract one.", "T"), rel.rows().get(0));
        assertNull(rel.rows().get(1).get(1), "an absent title stays absent (the stage reads it as empty)");
        BenchDocuments qa = BenchDocuments.read(f, BenchTask.parse("qa"), 2);
        assertEquals(List.of("Abstract two.", "Why?"), qa.rows().get(1), "qa: context first, then the question");
        assertEquals(List.of("Abstract one."), BenchDocuments.read(f, BenchTask.parse("classify"), 1).rows().get(0));
    }

    @Test
    void tooFewDocumentsOrAMissingFieldIsAnErrorNamingTheLine(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "{\"id\": \"a\", \"text\": \"Abstract.\"}", "{\"id\": \"b\", \"text\": \"  \"}", "[1, 2]");
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> BenchDocuments.read(file(tmp, "{\"text\": \"x\"}"), BenchTask.parse("entities"), 2));
        assertTrue(few.getMessage().contains("fewer than --docs 2"), few.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> BenchDocuments.read(f, BenchTask.parse("entities"), 2));
        assertTrue(blank.getMessage().contains("line 2") && blank.getMessage().contains("\"text\""), blank.getMessage());
        IllegalArgumentException noQuestion = assertThrows(IllegalArgumentException.class,
                () -> BenchDocuments.read(f, BenchTask.parse("qa"), 1));
        assertTrue(noQuestion.getMessage().contains("line 1") && noQuestion.getMessage().contains("question"));
        Path notObject = file(tmp, "[1, 2]");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchDocuments.read(notObject, BenchTask.parse("classify"), 1))
                .getMessage().contains("expected a JSON object"));
        assertThrows(IllegalArgumentException.class, () -> BenchDocuments.read(f, BenchTask.parse("classify"), 0));
    }

    @Test
    void taskNamesNameAStageAndItsTask() {
        assertEquals(new BenchTask("relations", "bc5cdr"), BenchTask.parse("relations"));
        assertEquals(new BenchTask("relations", "kd-dti"), BenchTask.parse("relations:kd-dti"));
        assertEquals(new BenchTask("qa", "pubmedqa"), BenchTask.parse("QA"));
        assertEquals("entities", BenchTask.parse("entities").toString());
        assertThrows(IllegalArgumentException.class, () -> BenchTask.parse("entities:bc5cdr"));
        assertThrows(IllegalArgumentException.class, () -> BenchTask.parse("summarize"));
        assertThrows(IllegalArgumentException.class, () -> BenchTask.parse("relations:"));
    }
}
