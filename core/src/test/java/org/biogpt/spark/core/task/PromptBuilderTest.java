package org.biogpt.spark.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptBuilderTest {
    private static String source(String task, Map<String, String> fields) {
        return PromptBuilder.source(TaskDefinitions.builtIn(task), fields);
    }

    @Test
    void bc5cdrTitleEndingInPunctuationIsJoinedWithASpaceAndLowercased() {
        // BC5CDR test.json 6453500: the title ends in "." (a non-word char) -> title + " " + abstract
        assertEquals("toxic hepatitis induced by disulfiram in a non-alcoholic. a reversible toxic liver damage was "
                        + "observed in a non-alcoholic woman treated with disulfiram. the causative relationship was proven by challenge.",
                source("bc5cdr", Map.of("title", "Toxic hepatitis induced by disulfiram in a non-alcoholic.",
                        "abstract", "A reversible toxic liver damage was observed in a non-alcoholic woman treated with "
                                + "disulfiram. The causative relationship was proven by challenge.")));
        // 25031906: "?" is a non-word char too, so no period is added
        assertEquals("is dysguesia going to be a rare or a common side-effect of amlodipine? a very rare side-effect of "
                        + "amlodipine is dysguesia. a review of the literature produced only one case.",
                source("bc5cdr", Map.of("title", "Is Dysguesia Going to be a Rare or a Common Side-effect of Amlodipine?",
                        "abstract", "A very rare side-effect of amlodipine is dysguesia. A review of the literature produced only one case.")));
    }

    @Test
    void kdDtiTitleEndingInAWordCharGetsPeriodAndSpace() {
        assertEquals("aspirin and cox-1. it binds.", source("kd-dti", Map.of("title", "Aspirin and COX-1", "abstract", "It binds.")));
        assertEquals("dose (mg) it binds.", source("kd-dti", Map.of("title", "Dose (mg)", "abstract", "It binds.")));
        // KD-DTI test.json 24900290
        assertEquals("design, synthesis, and preclinical characterization of the selective androgen receptor modulator (sarm) "
                        + "rad140. this report describes the discovery of rad140, a potent, orally bioavailable, nonsteroidal "
                        + "selective androgen receptor modulator (sarm). the characterization of rad140 in several preclinical "
                        + "models of anabolic androgen action is also described.",
                source("kd-dti", Map.of("title", "Design, Synthesis, and Preclinical Characterization of the Selective "
                                + "Androgen Receptor Modulator (SARM) RAD140.",
                        "abstract", "This report describes the discovery of RAD140, a potent, orally bioavailable, nonsteroidal "
                                + "selective androgen receptor modulator (SARM). The characterization of RAD140 in several "
                                + "preclinical models of anabolic androgen action is also described.")));
    }

    @Test
    void ddiUsesTheAbstractOnlyStrippedWithNewlinesAsSpaces() {
        // DDI test.json DDI-DrugBank.d605
        assertEquals("skelaxin may enhance the effects of alcohol, barbiturates and other cns depressants.",
                source("ddi", Map.of("abstract", "SKELAXIN may enhance the effects of alcohol, barbiturates and other CNS depressants.")));
        assertEquals("a b.", source("ddi", Map.of("abstract", " A\nB. \n")));
    }

    @Test
    void pubmedQaVariantsFollowTheirOwnCaseAndAnswerRules() {
        // PubMedQA test.tsv row 279
        Map<String, String> row = Map.of(
                "question", "Can 'high-risk' human papillomaviruses (HPVs) be detected in human breast milk?",
                "context", "Using polymerase chain reaction techniques, we evaluated the presence of HPV infection in human "
                        + "breast milk collected from 21 HPV-positive and 11 HPV-negative mothers. Of the 32 studied human milk "
                        + "specimens, no 'high-risk' HPV 16, 18, 31, 33, 35, 39, 45, 51, 52, 56, 58 or 58 DNA was detected.",
                "long_answer", "This preliminary case-control study indicates the absence of mucosal 'high-risk' HPV types "
                        + "in human breast milk.");
        assertEquals("question: Can 'high-risk' human papillomaviruses (HPVs) be detected in human breast milk? context: Using "
                + "polymerase chain reaction techniques, we evaluated the presence of HPV infection in human breast milk collected "
                + "from 21 HPV-positive and 11 HPV-negative mothers. Of the 32 studied human milk specimens, no 'high-risk' HPV "
                + "16, 18, 31, 33, 35, 39, 45, 51, 52, 56, 58 or 58 DNA was detected. ", source("pubmedqa", row));
        assertEquals("question: can 'high-risk' human papillomaviruses (hpvs) be detected in human breast milk? context: using "
                + "polymerase chain reaction techniques, we evaluated the presence of hpv infection in human breast milk collected "
                + "from 21 hpv-positive and 11 hpv-negative mothers. of the 32 studied human milk specimens, no 'high-risk' hpv "
                + "16, 18, 31, 33, 35, 39, 45, 51, 52, 56, 58 or 58 dna was detected. answer: this preliminary case-control study "
                + "indicates the absence of mucosal 'high-risk' hpv types in human breast milk.",
                source("pubmedqa-reasoning-free", row));
    }

    @Test
    void hocKeepsCaseAndAddsAPeriodOnlyWhenMissing() {
        // HoC test.tsv rows 491 and 0
        assertEquals("Binding analyses established that high-affinity bFGF binding (ABSTRACT TRUNCATED AT 250 WORDS ).",
                source("hoc", Map.of("text", "Binding analyses established that high-affinity bFGF binding (ABSTRACT TRUNCATED AT 250 WORDS )")));
        assertEquals("The interest in ionizing radiation is due to its environmental and clinical implications .",
                source("hoc", Map.of("text", "The interest in ionizing radiation is due to its environmental and clinical implications .")));
    }

    /** The DDI prompt of one short abstract, and the abstract's own pieces (BOS first). */
    private record DdiPrompt(BioGptTokenizer tokenizer, int[] pieces, Prompt prompt) {
    }

    /** Builds the DDI prompt of one abstract with {@code learned} prompt tokens and at most {@code maxSource} pieces. */
    private static DdiPrompt ddiPrompt(Path dir, int learned, int maxSource) throws IOException {
        BioGptTokenizer tokenizer = tokenizerWithLearned(dir, learned);
        TaskDefinition task = withMaxSource(TaskDefinitions.builtIn("ddi"), maxSource);
        // "famotidine-associated delirium in patients." -> 9 pieces: fam oti dine @-@ associated delirium in patients .
        String text = "Famotidine-associated delirium in patients.";
        int[] pieces = tokenizer.encodeIds(text.toLowerCase());
        return new DdiPrompt(tokenizer, pieces, new PromptBuilder(task, tokenizer).build(Map.of("abstract", text)));
    }

    @Test
    void promptIsBosSourcePiecesThenTheVocabularysLearnedTokens(@TempDir Path dir) throws IOException {
        DdiPrompt p = ddiPrompt(dir, 3, 9);
        assertEquals(10, p.pieces().length);
        assertFalse(p.prompt().truncated());
        assertEquals(3, p.prompt().learnedTokens());
        int[] expected = Arrays.copyOf(p.pieces(), 13);
        expected[10] = 42384;
        expected[11] = 42385;
        expected[12] = 42386;
        assertArrayEquals(expected, p.prompt().ids());
    }

    @Test
    void longSourceKeepsMaxMinusOnePiecesThenEllipsis(@TempDir Path dir) throws IOException {
        DdiPrompt p = ddiPrompt(dir, 2, 5);
        int[] pieces = p.pieces();
        assertTrue(p.prompt().truncated());
        assertEquals(5, p.prompt().sourceTokens());
        // </s> + first 4 pieces (cut inside "famotidine-" exactly as fairseq cuts BPE tokens) + "...</w>" + learned1, learned2
        int ellipsis = p.tokenizer().tokenToId("...</w>");
        assertArrayEquals(new int[] {pieces[0], pieces[1], pieces[2], pieces[3], pieces[4], ellipsis, 42384, 42385},
                p.prompt().ids());
    }

    @Test
    void noLearnedTokensInTheVocabularyMeansNoPrompt() {
        BioGptTokenizer tokenizer = BioGptTokenizer.load(Fixtures.model("causal-lm"));
        assertEquals(0, PromptBuilder.learnedPromptIds(tokenizer).length);
        Prompt prompt = new PromptBuilder(TaskDefinitions.builtIn("hoc"), tokenizer).build(Map.of("text", "Cells grow"));
        assertArrayEquals(tokenizer.encodeIds("Cells grow."), prompt.ids());
    }

    @Test
    void everyDocumentsSourceEqualsTheOriginalRebuildDataOutput() {
        check("ddi", "DDI/raw/test.json", "DDI.relis_test.x");
        check("kd-dti", "KD-DTI/raw/test.json", "KD-DTI.relis_test.x");
        check("bc5cdr", "BC5CDR/raw/test.json", "BC5CDR.relis_test.x");
        check("hoc", "HoC/raw/test.tsv", "HoC.ansis_test.x");
        check("pubmedqa-reasoning-free", "PubMedQA/raw/test.tsv", "PubMedQA-free.ansis_test.x");
    }

    private static void check(String task, String data, String original) {
        var set = org.biogpt.spark.core.eval.EvaluationSet.load(task, TaskData.file(data));
        List<String> expected = TaskData.originalLines(original);
        List<Map<String, String>> fields = set.promptFields();
        assertEquals(expected.size(), fields.size(), task);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), PromptBuilder.source(set.task(), fields.get(i)), task + " document " + i);
        }
    }

    static TaskDefinition withMaxSource(TaskDefinition t, int max) {
        return new TaskDefinition(t.name(), t.kind(), t.sourceTemplate(), t.newlines(), t.strip(), t.endWithPeriod(),
                t.lowercase(), t.learnedPromptLength(), max, t.leadPhrases(), t.clauseSeparator(), t.stripClauses(),
                t.answerPattern(), t.anchored(), t.targetTemplate(), t.targetSeparator(), t.relationSchema(), t.labels());
    }

    /** The fixture vocabulary plus learned1..learnedN as whole words (ids 42384...), like a converted RE checkpoint. */
    static BioGptTokenizer tokenizerWithLearned(Path dir, int n) throws IOException {
        Path src = Fixtures.model("causal-lm");
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode vocab = (ObjectNode) mapper.readTree(src.resolve("vocab.json").toFile());
        for (int k = 1; k <= n; k++) {
            vocab.put("learned" + k + "</w>", 42383 + k);
        }
        mapper.writeValue(dir.resolve("vocab.json").toFile(), vocab);
        Files.copy(src.resolve("merges.txt"), dir.resolve("merges.txt"));
        return BioGptTokenizer.load(dir);
    }
}
