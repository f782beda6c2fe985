package org.biogpt.spark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small gold sets with perturbed predictions; expected numbers worked out by hand from the original definitions. */
class PerturbedPredictionsTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static double at(Map<String, Object> m, String group, String key) {
        return ((Number) ((Map<String, Object>) m.get(group)).get(key)).doubleValue();
    }

    @Test
    void ddiHardMatchWithDroppedAddedDuplicatedAbbreviatedAndFailedTriples() throws IOException {
        Path gold = dir.resolve("ddi.json");
        Files.writeString(gold, """
                {"d1": {"abstract": "x", "triples": [{"drug": "Aspirin", "target": "warfarin", "interaction": "effect"},
                                                    {"drug": "aspirin", "target": "heparin", "interaction": "mechanism"}]},
                 "d0": {"abstract": "no relations", "triples": []},
                 "d2": {"abstract": "x", "triples": [{"drug": "interleukin 2 (IL-2)", "target": "cyclosporine", "interaction": "advise"}]},
                 "d3": {"abstract": "x", "triples": [{"drug": "ketoconazole", "target": "midazolam", "interaction": "mechanism"}]},
                 "d4": {"abstract": "x", "triples": [{"drug": "ritonavir (RTV)", "target": "saquinavir", "interaction": "mechanism"}]}}
                """);
        EvaluationSet set = EvaluationSet.load("ddi", gold);
        assertEquals(List.of("d1", "d2", "d3", "d4"), set.ids()); // d0 has no gold relations: dropped
        Map<String, Object> m = set.score(List.of(
                // warfarin kept (twice: one triple), heparin dropped, ibuprofen and naproxen added
                "learned1 learned2 the interaction between aspirin and warfarin is effect; the interaction between aspirin and "
                        + "warfarin is effect; the interaction between aspirin and ibuprofen is effect; the interaction between "
                        + "aspirin and naproxen is effect.",
                // abbreviation form: "il-2" -> normalize "ilII" equals get_abbr(gold) "ilII"
                "the interaction between il-2 and cyclosporine is advise.",
                // no clause parses: failed, an empty prediction
                "the drug ketoconazole inhibits midazolam.",
                // body form: rm_abbr(gold) "ritonavir" equals the prediction
                "the interaction between ritonavir and saquinavir is mechanism"));
        // per document (p, r, f1): d1 (1/3, 1/2, 2*(1/3)(1/2)/(5/6) = 0.4); d2 (1, 1, 1); d3 (0, 0, 0); d4 (1, 1, 1)
        assertEquals(4, m.get("documents"));
        assertEquals(7.0 / 12, at(m, "document_average", "precision"), 1e-12); // (1/3 + 1 + 0 + 1) / 4
        assertEquals(0.625, at(m, "document_average", "recall"), 1e-12);      // (1/2 + 1 + 0 + 1) / 4
        assertEquals(0.6, at(m, "document_average", "mean_f1"), 1e-12);       // (0.4 + 1 + 0 + 1) / 4
        assertEquals(35.0 / 58, at(m, "document_average", "f1_of_means"), 1e-12); // 2(7/12)(5/8) / (7/12 + 5/8)
        // set level: 5 predicted, 5 gold triples pooled. Abbreviation variant matches warfarin and il-2 (2/5);
        // body variant matches warfarin and ritonavir (2/5): max 2/5, the variant is chosen for the whole set
        assertEquals(0.4, at(m, "set_level", "precision"), 1e-12);
        assertEquals(0.4, at(m, "set_level", "recall"), 1e-12);
        assertEquals(0.4, at(m, "set_level", "f1"), 1e-12);
    }

    @Test
    void setLevelPoolsTriplesAcrossDocumentsAsOneSet() {
        Triple t = Triple.of("a", "b", "effect");
        Triple u = Triple.of("c", "d", "int");
        // doc 1 gold {t}, pred {t}; doc 2 gold {t, u}, pred {t}: pooled gold {t, u}, pooled pred {t}
        var r = HardMatchScorer.score(List.of(java.util.Set.of(t), java.util.Set.of(t)), List.of(java.util.Set.of(t), java.util.Set.of(t, u)));
        assertEquals(1.0, r.setPrecision(), 1e-12); // 1/1
        assertEquals(0.5, r.setRecall(), 1e-12);    // 1/2
        assertEquals(0.75, r.docRecall(), 1e-12);   // (1 + 1/2) / 2
    }

    @Test
    void normalizeNameFollowsTheOriginalRules() {
        assertEquals("typeII", NameNormalizer.normalizeName(" type 2 ")); // strip, digit after non-digit -> roman, drop non-alnum
        assertEquals("cyp3aIV", NameNormalizer.normalizeName("cyp3a4")); // "4" follows the letter "a"
        assertEquals("ab12", NameNormalizer.normalizeName("ab12"));       // digit after digit stays
        assertEquals("x1", NameNormalizer.normalizeName("x1"));           // too short for the roman rule
        assertEquals("receptor", NameNormalizer.normalizeName("receptor-type"));
        assertEquals("ilII", NameNormalizer.abbreviation("interleukin2(il-2)"));
        assertEquals("interleukinII", NameNormalizer.withoutAbbreviation("interleukin2(il-2)"));
    }

    @Test
    void bc5cdrMapsNamesWithTheWholeFileDictionaryAndCountsIdPairsOnce() throws IOException {
        Path gold = dir.resolve("bc5.json");
        Files.writeString(gold, """
                {"1": {"title": "T1.", "abstract": "a", "relations": [{"chemical": "C1", "disease": "D1"}, {"chemical": "C2", "disease": "D1"}],
                       "chemical2id": {"cocaine": "C1", "lithium": "C2", "li": "C2"}, "disease2id": {"seizures": "D1"}},
                 "2": {"title": "T2", "abstract": "b", "relations": [{"chemical": "C1", "disease": "D2"}],
                       "chemical2id": {"cocaine": "C1"}, "disease2id": {"fever": "D2"}},
                 "3": {"title": "T3", "abstract": "c", "relations": [], "chemical2id": {"aspirin": "C3"}, "disease2id": {"Fever": "D3"}}}
                """);
        EvaluationSet set = EvaluationSet.load("bc5cdr", gold);
        assertEquals(List.of("the relation between lithium and seizures exists; the relation between cocaine and seizures exists.",
                "the relation between cocaine and fever exists."), reversedFirst(set.goldTargets()));
        Map<String, Object> m = set.score(List.of(
                // (1,C1,D1) twice -> once; li -> C2: (1,C2,D1); unknown name -> (1,-1,D1)
                "learned1 the relation between cocaine and seizures exists; the relation between li and seizures exists; "
                        + "the relation between cocaine and seizures exists; the relation between unknownium and seizures exists.",
                // "fever" is D3 in the file-wide dictionary (document 3, later, wins): (2,C1,D3) is wrong
                "the relation between cocaine and fever exists"));
        // gold {(1,C1,D1), (1,C2,D1), (2,C1,D2)}; predicted {(1,C1,D1), (1,C2,D1), (1,-1,D1), (2,C1,D3)}
        assertEquals(2, m.get("documents"));
        assertEquals(2, m.get("tp"));
        assertEquals(2, m.get("fp"));
        assertEquals(1, m.get("fn"));
        assertEquals(0.5, (Double) m.get("precision"), 1e-12);       // 2 / 4
        assertEquals(2.0 / 3, (Double) m.get("recall"), 1e-12);      // 2 / 3
        assertEquals(4.0 / 7, (Double) m.get("f1"), 1e-12);          // 2(1/2)(2/3) / (1/2 + 2/3)
    }

    /** Document 1's target lists relations in file order: C1-D1 then C2-D1. */
    private static List<String> reversedFirst(List<String> targets) {
        String[] first = targets.get(0).replace(".", "").split("; ");
        return List.of(first[1] + "; " + first[0] + ".", targets.get(1));
    }

    @Test
    void pubmedQaMacroF1IsOverYesNoMaybeAndCountsAFailedParseAsWrong() throws IOException {
        Path gold = dir.resolve("pqa.tsv");
        StringBuilder tsv = new StringBuilder();
        for (String label : Arrays.asList("yes", "yes", "no", "maybe", "no")) {
            tsv.append("question: q? context: c. answer: a.\t").append(label).append('\n');
        }
        Files.writeString(gold, tsv.toString());
        String p = "learned1 the answer to the question given the context is ";
        Map<String, Object> m = EvaluationSet.load("pubmedqa", gold).score(List.of(p + "yes.", p + "no.", p + "no.", "unsure", p + "no"));
        // predictions yes, no, no, failed, no vs gold yes, yes, no, maybe, no: 3 right of 5
        assertEquals(0.6, (Double) m.get("accuracy"), 1e-12);
        // F1 per label of yes/no/maybe: yes 2*1/(2+0+1) = 2/3; no 2*2/(4+1+0) = 4/5; maybe (gold once, predicted
        // "failed") 0 -> (2/3 + 4/5 + 0) / 3 = 22/45. "failed" is no class of its own (that would give 11/30).
        assertEquals(22.0 / 45, (Double) m.get("macro_f1"), 1e-12);
        assertEquals(1L, m.get("predictions_outside_labels"));
        assertEquals("yes,no,maybe", m.get("macro_f1_labels"));
    }

    @Test
    void hocMicroF1IgnoresUnknownLabelsAndTreatsFailedAsEmpty() throws IOException {
        Path gold = dir.resolve("hoc.tsv");
        Files.writeString(gold, "s1 .\tempty\n\ns2\tactivating invasion and metastasis|inducing angiogenesis\n\ns3 .\tresisting cell death\n\n");
        String p = "the type of this document is ";
        Map<String, Object> m = EvaluationSet.load("hoc", gold).score(List.of(
                p + "empty.", p + "inducing angiogenesis|sustaining proliferative signaling|not a class", "garbage"));
        // tp: empty, angiogenesis = 2; fp: sustaining = 1; fn: activating, resisting = 2 -> 2*2 / (4 + 1 + 2)
        assertEquals(4.0 / 7, (Double) m.get("micro_f1"), 1e-12);
    }

    @Test
    void missingPredictionsCountAsFailedParses() throws IOException {
        Path gold = dir.resolve("ddi2.json");
        Files.writeString(gold, """
                {"a": {"abstract": "x", "triples": [{"drug": "a", "target": "b", "interaction": "effect"}]},
                 "b": {"abstract": "x", "triples": [{"drug": "c", "target": "d", "interaction": "int"}]}}
                """);
        Path preds = dir.resolve("p.jsonl");
        Files.writeString(preds, "{\"id\": \"a\", \"prediction\": \"the interaction between a and b is effect.\"}\n"
                + "{\"id\": \"zzz\", \"prediction\": \"x\"}\n");
        EvaluationSet set = EvaluationSet.load("ddi", gold);
        Predictions p = Predictions.read(preds, set.ids());
        assertEquals(1, p.missing());
        assertEquals(1, p.unknown());
        Map<String, Object> m = set.score(p.texts());
        assertEquals(0.5, at(m, "document_average", "precision"), 1e-12); // (1 + 0) / 2
        assertEquals(1.0, at(m, "set_level", "precision"), 1e-12);         // 1 of 1 predicted
        assertEquals(0.5, at(m, "set_level", "recall"), 1e-12);            // 1 of 2 gold
    }
}
