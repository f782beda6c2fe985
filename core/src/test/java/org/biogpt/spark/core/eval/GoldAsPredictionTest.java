package org.biogpt.spark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.task.TaskData;
import org.junit.jupiter.api.Test;

/**
 * Gold targets, written as the original rebuild_data.py writes them, scored as predictions.
 * Expected numbers for KD-DTI and BC5CDR are what the original scripts give on the same input
 * (postprocess.py + hard_match_evaluation.py; postprocess.py + bc5cdr_eval.jar), not 1.0: the
 * greedy "(.*) and (.*)" split mis-reads names that contain " and ", and BC5CDR maps names through
 * one dictionary for the whole test set where a mention can have another document's id.
 */
class GoldAsPredictionTest {
    private static Map<String, Object> score(String task, String data) {
        EvaluationSet set = EvaluationSet.load(task, TaskData.file(data));
        return set.score(set.goldTargets());
    }

    @SuppressWarnings("unchecked")
    private static double at(Map<String, Object> m, String group, String key) {
        return ((Number) ((Map<String, Object>) m.get(group)).get(key)).doubleValue();
    }

    @Test
    void goldTargetsEqualTheOriginalRebuildDataTargets() {
        assertEquals(TaskData.originalLines("DDI.relis_test.y"), EvaluationSet.load("ddi", TaskData.file("DDI/raw/test.json")).goldTargets());
        assertEquals(TaskData.originalLines("KD-DTI.relis_test.y"), EvaluationSet.load("kd-dti", TaskData.file("KD-DTI/raw/test.json")).goldTargets());
        assertEquals(TaskData.originalLines("BC5CDR.relis_test.y"), EvaluationSet.load("bc5cdr", TaskData.file("BC5CDR/raw/test.json")).goldTargets());
        assertEquals(TaskData.originalLines("HoC.ansis_test.y"), EvaluationSet.load("hoc", TaskData.file("HoC/raw/test.tsv")).goldTargets());
        assertEquals(TaskData.originalLines("PubMedQA-free.ansis_test.y"),
                EvaluationSet.load("pubmedqa-reasoning-free", TaskData.file("PubMedQA/raw/test.tsv")).goldTargets());
        assertEquals(TaskData.originalLines("DDI.relis_test.pmid"), EvaluationSet.load("ddi", TaskData.file("DDI/raw/test.json")).ids());
    }

    /** A relation task's hard-match scores: one value for set-level P/R/F1, one for every document average. */
    private static void assertHardMatch(String task, String data, int documents, double setLevel,
                                        double documentAverage) {
        Map<String, Object> m = score(task, data);
        assertEquals(documents, m.get("documents"));
        for (String k : List.of("precision", "recall", "f1")) {
            assertEquals(setLevel, at(m, "set_level", k), 1e-12, k);
        }
        for (String k : List.of("precision", "recall", "mean_f1", "f1_of_means")) {
            assertEquals(documentAverage, at(m, "document_average", k), 1e-12, k);
        }
    }

    @Test
    void ddiScoresOneEverywhere() {
        assertHardMatch("ddi", "DDI/raw/test.json", 191, 1.0, 1.0);
    }

    @Test
    void kdDtiMatchesTheOriginalScript() {
        assertHardMatch("kd-dti", "KD-DTI/raw/test.json", 1159, 0.9985380116959064, 0.998274374460742);
    }

    @Test
    void bc5cdrMatchesTheOriginalPostprocessAndOfficialJar() {
        Map<String, Object> m = score("bc5cdr", "BC5CDR/raw/test.json");
        assertEquals(500, m.get("documents"));
        assertEquals(1045, m.get("tp"));
        assertEquals(20, m.get("fp"));
        assertEquals(21, m.get("fn"));
        assertEquals(0.9812206572769953, (Double) m.get("precision"), 1e-12);
        assertEquals(0.9803001876172608, (Double) m.get("recall"), 1e-12);
        assertEquals(0.980760206475833, (Double) m.get("f1"), 1e-12);
    }

    @Test
    void pubmedQaAndHocScoreOne() {
        Map<String, Object> qa = score("pubmedqa", "PubMedQA/raw/test.tsv");
        assertEquals(500, qa.get("documents"));
        assertEquals(1.0, (Double) qa.get("accuracy"), 1e-12);
        assertEquals(1.0, (Double) qa.get("macro_f1"), 1e-12);
        Map<String, Object> hoc = score("hoc", "HoC/raw/test.tsv");
        assertEquals(4947, hoc.get("documents"));
        assertEquals(1.0, (Double) hoc.get("micro_f1"), 1e-12);
    }
}
