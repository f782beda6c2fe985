package org.biogpt.spark.core.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.biogpt.spark.core.task.OutputParser;
import org.biogpt.spark.core.task.Relation;
import org.biogpt.spark.core.task.TargetBuilder;
import org.biogpt.spark.core.task.TaskDefinition;
import org.biogpt.spark.core.task.TaskDefinitions;

/** BC5CDR: parse as postprocess.py, map names to MeSH ids, score with {@link Bc5cdrScorer}. */
final class Bc5cdrEvaluation implements EvaluationSet {
    private final TaskDefinition task = TaskDefinitions.builtIn(TaskDefinitions.BC5CDR);
    private final Bc5cdrGold gold;
    private final OutputParser parser = new OutputParser(task);

    Bc5cdrEvaluation(Bc5cdrGold gold) {
        this.gold = gold;
    }

    @Override
    public TaskDefinition task() {
        return task;
    }

    @Override
    public List<String> ids() {
        return gold.documents().stream().map(Bc5cdrGold.Document::pmid).toList();
    }

    @Override
    public List<Map<String, String>> promptFields() {
        return gold.documents().stream()
                .map(d -> Map.of("title", d.title(), "abstract", d.abstractText())).toList();
    }

    /** rebuild_data.py: each relation named by the longest mention of its ids, in file order. */
    @Override
    public List<String> goldTargets() {
        List<String> out = new ArrayList<>();
        for (Bc5cdrGold.Document d : gold.documents()) {
            Map<String, String> chemicals = Bc5cdrGold.longestMention(d.chemical2id());
            Map<String, String> diseases = Bc5cdrGold.longestMention(d.disease2id());
            List<String[]> clauses = new ArrayList<>();
            for (String[] r : d.relations()) {
                clauses.add(new String[] {chemicals.get(r[0]), task.relationSchema().fixedRelation(), diseases.get(r[1])});
            }
            out.add(TargetBuilder.relations(task, clauses));
        }
        return out;
    }

    @Override
    public Map<String, Object> score(List<String> generated) {
        List<Bc5cdrGold.Document> docs = gold.documents();
        if (generated.size() != docs.size()) {
            throw new IllegalArgumentException(generated.size() + " predictions for " + docs.size() + " documents");
        }
        Set<Bc5cdrScorer.Pair> predicted = new HashSet<>();
        Set<Bc5cdrScorer.Pair> goldPairs = new HashSet<>();
        for (int i = 0; i < docs.size(); i++) {
            Bc5cdrGold.Document d = docs.get(i);
            for (String[] r : d.relations()) {
                goldPairs.add(new Bc5cdrScorer.Pair(d.pmid(), r[0], r[1]));
            }
            if (generated.get(i) == null) {
                continue;
            }
            List<String[]> names = new ArrayList<>();
            for (Relation r : parser.parseRelations(generated.get(i), null).relations()) {
                names.add(new String[] {r.head(), r.tail()});
            }
            predicted.addAll(Bc5cdrScorer.toIds(d.pmid(), names, gold.chemicalIds(), gold.diseaseIds()));
        }
        return Bc5cdrScorer.score(predicted, goldPairs, docs.size()).toMap(task.name());
    }
}
