package org.biogpt.spark.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BC5CDR {@code test.json}: an object keyed by PMID with "title", "abstract", "relations"
 * ([{chemical, disease}] MeSH ids), "chemical2id" and "disease2id" (mention → MeSH id).
 *
 * <p>The scoring dictionaries are the original's {@code test.entities.json}: every document's
 * mentions, lowercased, the later document winning when a mention has two ids (checked equal to
 * the shipped file for the BioGPT test set).
 */
public final class Bc5cdrGold {
    private final List<Document> documents;
    private final Map<String, String> chemicalIds;
    private final Map<String, String> diseaseIds;

    public record Document(String pmid, String title, String abstractText, List<String[]> relations,
                           Map<String, String> chemical2id, Map<String, String> disease2id) {
    }

    private Bc5cdrGold(List<Document> documents, Map<String, String> chemicalIds, Map<String, String> diseaseIds) {
        this.documents = documents;
        this.chemicalIds = chemicalIds;
        this.diseaseIds = diseaseIds;
    }

    public static Bc5cdrGold read(Path file) {
        JsonNode root = GoldJson.readObject(file);
        List<Document> docs = new ArrayList<>();
        Map<String, String> chemicals = new LinkedHashMap<>();
        Map<String, String> diseases = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = file + " " + e.getKey();
            JsonNode v = e.getValue();
            Map<String, String> c2id = mentions(v.get("chemical2id"), where);
            Map<String, String> d2id = mentions(v.get("disease2id"), where);
            c2id.forEach((k, id) -> chemicals.put(k.toLowerCase(Locale.ROOT), id));
            d2id.forEach((k, id) -> diseases.put(k.toLowerCase(Locale.ROOT), id));
            JsonNode relations = v.get("relations");
            if (relations == null || !relations.isArray() || relations.isEmpty()) {
                continue; // dropped from the test set, as rebuild_data.py does
            }
            List<String[]> pairs = new ArrayList<>();
            for (JsonNode r : relations) {
                pairs.add(new String[] {GoldJson.text(r, "chemical", where), GoldJson.text(r, "disease", where)});
            }
            docs.add(new Document(e.getKey(), GoldJson.text(v, "title", where), GoldJson.text(v, "abstract", where),
                    Collections.unmodifiableList(pairs), c2id, d2id));
        }
        return new Bc5cdrGold(List.copyOf(docs), Collections.unmodifiableMap(chemicals), Collections.unmodifiableMap(diseases));
    }

    private static Map<String, String> mentions(JsonNode node, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } else if (node != null && !node.isNull()) {
            throw new IllegalArgumentException(where + ": chemical2id/disease2id must be objects");
        }
        return out;
    }

    /** The documents with at least one relation, in file order. */
    public List<Document> documents() {
        return documents;
    }

    /** Lowercased chemical mention → MeSH id over the whole test file. */
    public Map<String, String> chemicalIds() {
        return chemicalIds;
    }

    /** Lowercased disease mention → MeSH id over the whole test file. */
    public Map<String, String> diseaseIds() {
        return diseaseIds;
    }

    /**
     * unify_ent2id(method='max'): for each id, its longest mention (the first of equal length),
     * the name the original target uses.
     */
    public static Map<String, String> longestMention(Map<String, String> mention2id) {
        Map<String, String> id2mention = new LinkedHashMap<>();
        mention2id.forEach((mention, id) -> {
            String current = id2mention.get(id);
            if (current == null || mention.length() > current.length()) {
                id2mention.put(id, mention);
            }
        });
        return id2mention;
    }
}
