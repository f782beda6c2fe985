package org.biogpt.spark.core.eval;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * DDI and KD-DTI scoring exactly as microsoft/BioGPT {@code hard_match_evaluation.py}: each
 * document a set of triples (duplicates collapse), every metric the better of the
 * abbreviation-only and abbreviation-removed variants, a failed parse an empty set.
 * <ul>
 * <li>document average ("Sample"): mean per-document precision and recall; {@code mean_f1} is the
 *     mean of per-document F1 (printed by the original as "micro f1") and {@code f1_of_means}
 *     the F1 of the two means (printed as "macro f1");</li>
 * <li>set level ("Ontology"): precision and recall of the set of all predicted triples against the
 *     set of all gold triples, pooled over documents (a triple found in two documents counts once).</li>
 * </ul>
 */
public final class HardMatchScorer {
    private HardMatchScorer() {
    }

    /**
     * @param predicted per document, its predicted triples (empty for a failed parse)
     * @param gold      per document, its gold triples (same order)
     */
    public static Result score(List<Set<Triple>> predicted, List<Set<Triple>> gold) {
        if (predicted.size() != gold.size()) {
            throw new IllegalArgumentException(predicted.size() + " predictions for " + gold.size() + " documents");
        }
        int n = gold.size();
        double sumP = 0;
        double sumR = 0;
        double sumF1 = 0;
        Set<Triple> allPred = new HashSet<>();
        Set<Triple> allGold = new HashSet<>();
        for (int i = 0; i < n; i++) {
            double p = normed(predicted.get(i), gold.get(i), HardMatchScorer::precision);
            double r = normed(predicted.get(i), gold.get(i), HardMatchScorer::recall);
            sumP += p;
            sumR += r;
            sumF1 += f1(p, r);
            allPred.addAll(predicted.get(i));
            allGold.addAll(gold.get(i));
        }
        double p = sumP / n;
        double r = sumR / n;
        double setP = normed(allPred, allGold, HardMatchScorer::precision);
        double setR = normed(allPred, allGold, HardMatchScorer::recall);
        return new Result(n, setP, setR, f1(setP, setR), p, r, sumF1 / n, f1(p, r));
    }

    /** normed_eval: the max of the metric on abbreviations and on names with abbreviations removed. */
    static double normed(Set<Triple> pred, Set<Triple> gold, BiFunction<Set<Triple>, Set<Triple>, Double> metric) {
        double abbr = metric.apply(mapAll(pred, NameNormalizer::abbreviation), mapAll(gold, NameNormalizer::abbreviation));
        double rm = metric.apply(mapAll(pred, NameNormalizer::withoutAbbreviation), mapAll(gold, NameNormalizer::withoutAbbreviation));
        return Math.max(abbr, rm);
    }

    private static Set<Triple> mapAll(Set<Triple> triples, java.util.function.UnaryOperator<String> f) {
        Set<Triple> out = new HashSet<>();
        for (Triple t : triples) {
            out.add(t.map(f));
        }
        return out;
    }

    /** Multi-label precision: |P∩G|/|P|, or 1 if both are empty and 0 if only P is. */
    static double precision(Set<Triple> pred, Set<Triple> gold) {
        if (pred.isEmpty()) {
            return pred.equals(gold) ? 1 : 0;
        }
        return (double) intersection(pred, gold) / pred.size();
    }

    /** Multi-label recall: |P∩G|/|G|, or 1 if both are empty and 0 if only G is. */
    static double recall(Set<Triple> pred, Set<Triple> gold) {
        if (gold.isEmpty()) {
            return pred.equals(gold) ? 1 : 0;
        }
        return (double) intersection(pred, gold) / gold.size();
    }

    private static int intersection(Set<Triple> a, Set<Triple> b) {
        int n = 0;
        for (Triple t : a) {
            if (b.contains(t)) {
                n++;
            }
        }
        return n;
    }

    static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public record Result(int documents, double setPrecision, double setRecall, double setF1,
                         double docPrecision, double docRecall, double meanF1, double f1OfMeans) {
        /** The evaluate command's fields for this task. */
        public Map<String, Object> toMap(String task) {
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("precision", setPrecision);
            set.put("recall", setRecall);
            set.put("f1", setF1);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("precision", docPrecision);
            doc.put("recall", docRecall);
            doc.put("mean_f1", meanF1);
            doc.put("f1_of_means", f1OfMeans);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", task);
            out.put("documents", documents);
            out.put("set_level", set);
            out.put("document_average", doc);
            return out;
        }
    }
}
