package org.biogpt.spark.core.eval;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BC5CDR chemical-induced-disease scoring as microsoft/BioGPT runs it: predicted names become
 * MeSH ids through the mention→id dictionaries of the test annotations ({@link Bc5cdrGold#chemicalIds}),
 * an unknown name becomes "-1"; then the official BC5CDR evaluation ({@code bc5cdr_eval.jar},
 * relation CID) compares the set of (PMID, chemical id, disease id) predictions with the gold set:
 * TP = |P∩G|, FP = |P\G|, FN = |G\P|. As the jar does, a pair with an unknown id (written as
 * "null" by the jar) can only be a false positive, and predictions for documents without gold
 * relations are ignored.
 */
public final class Bc5cdrScorer {
    private Bc5cdrScorer() {
    }

    /** A (PMID, chemical id, disease id) relation; "-1" marks a name missing from the dictionary. */
    public record Pair(String pmid, String chemical, String disease) {
    }

    public static Result score(Set<Pair> predicted, Set<Pair> gold, int documents) {
        Set<String> goldDocs = new HashSet<>();
        for (Pair g : gold) {
            goldDocs.add(g.pmid());
        }
        int tp = 0;
        int fp = 0;
        for (Pair p : predicted) {
            if (!goldDocs.contains(p.pmid())) {
                continue; // removeNonGoldDocumentIDs
            }
            if (gold.contains(p)) {
                tp++;
            } else {
                fp++;
            }
        }
        int fn = gold.size() - tp;
        Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
        Double recall = tp + fn == 0 ? null : (double) tp / (tp + fn);
        Double f1 = precision == null || recall == null ? null
                : precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        return new Result(documents, precision, recall, f1, tp, fp, fn);
    }

    /** Maps one document's predicted (chemical name, disease name) pairs to id pairs. */
    public static Set<Pair> toIds(String pmid, List<String[]> namePairs, Map<String, String> chemical2id,
                                  Map<String, String> disease2id) {
        Set<Pair> out = new HashSet<>();
        for (String[] names : namePairs) {
            out.add(new Pair(pmid, chemical2id.getOrDefault(names[0], "-1"), disease2id.getOrDefault(names[1], "-1")));
        }
        return out;
    }

    /** Precision, recall and F1 are null where the jar would print NaN (no predictions, no gold). */
    public record Result(int documents, Double precision, Double recall, Double f1, int tp, int fp, int fn) {
        public Map<String, Object> toMap(String task) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", task);
            out.put("documents", documents);
            out.put("precision", precision);
            out.put("recall", recall);
            out.put("f1", f1);
            out.put("tp", tp);
            out.put("fp", fp);
            out.put("fn", fn);
            return out;
        }
    }
}
