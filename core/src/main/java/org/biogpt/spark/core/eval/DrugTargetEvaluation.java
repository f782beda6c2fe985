package org.biogpt.spark.core.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.PromptBuilder;
import org.biogpt.spark.core.task.Relation;
import org.biogpt.spark.core.task.RelationOutput;
import org.biogpt.spark.core.task.TargetBuilder;

/** DDI and KD-DTI: parse as postprocess.py, score with {@link HardMatchScorer}. */
final class DrugTargetEvaluation extends BuiltInEvaluation<RelationGold.Document> {
    DrugTargetEvaluation(String name, List<RelationGold.Document> docs) {
        super(name, docs, RelationGold.Document::id);
    }

    @Override
    Map<String, String> fields(RelationGold.Document d) {
        return sourceFields(d);
    }

    static Map<String, String> sourceFields(RelationGold.Document d) {
        Map<String, String> f = new HashMap<>();
        f.put("abstract", d.abstractText());
        if (d.title() != null) {
            f.put("title", d.title());
        }
        return f;
    }

    /** rebuild_data.py: triples sorted (stably) by where the drug first occurs in the source, lowercased. */
    @Override
    public List<String> goldTargets() {
        List<String> out = new ArrayList<>();
        for (RelationGold.Document d : docs) {
            String source = PromptBuilder.source(task, sourceFields(d));
            List<RelationGold.GoldTriple> sorted = new ArrayList<>(d.triples());
            sorted.sort(Comparator.comparingInt(t -> source.indexOf(t.drug())));
            List<String[]> clauses = new ArrayList<>();
            for (RelationGold.GoldTriple t : sorted) {
                clauses.add(new String[] {lower(t.drug()), lower(t.interaction()), lower(t.target())});
            }
            out.add(TargetBuilder.relations(task, clauses));
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @Override
    public Map<String, Object> score(List<String> generated) {
        requireOnePer(generated, "documents");
        List<Set<Triple>> predicted = new ArrayList<>();
        List<Set<Triple>> gold = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            predicted.add(predictedTriples(parser, generated.get(i)));
            Set<Triple> g = new HashSet<>();
            for (RelationGold.GoldTriple t : docs.get(i).triples()) {
                g.add(Triple.of(t.drug(), t.target(), t.interaction()));
            }
            gold.add(g);
        }
        return HardMatchScorer.score(predicted, gold).toMap(task.name());
    }

    /** A failed parse, or a first triple whose drug is literally "failed" (the original's marker), is empty. */
    static Set<Triple> predictedTriples(OutputParser parser, String text) {
        Set<Triple> out = new HashSet<>();
        if (text == null) {
            return out;
        }
        RelationOutput parsed = parser.parseRelations(text, null);
        if (parsed.failed() || parsed.relations().get(0).head().equals("failed")) {
            return out;
        }
        for (Relation r : parsed.relations()) {
            out.add(Triple.of(r.head(), r.tail(), r.relation()));
        }
        return out;
    }
}
