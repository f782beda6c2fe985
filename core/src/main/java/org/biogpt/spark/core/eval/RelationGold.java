package org.biogpt.spark.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * DDI and KD-DTI {@code test.json}: an object keyed by document id, each with "abstract",
 * "triples" ([{drug, target, interaction, ...}]), "pmid" and, for KD-DTI, "title". As the
 * original does, documents with no triples are dropped; the rest keep file order.
 */
public final class RelationGold {
    private RelationGold() {
    }

    /** One gold triple as written in the file. */
    public record GoldTriple(String drug, String target, String interaction) {
    }

    /** @param title null for DDI, which has none */
    public record Document(String id, String title, String abstractText, List<GoldTriple> triples) {
        public Document {
            triples = List.copyOf(triples);
        }
    }

    public static List<Document> read(Path file) {
        JsonNode root = GoldJson.readObject(file);
        List<Document> docs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = file + " " + e.getKey();
            JsonNode v = e.getValue();
            JsonNode triples = v.get("triples");
            if (triples == null || !triples.isArray() || triples.isEmpty()) {
                continue;
            }
            List<GoldTriple> list = new ArrayList<>();
            for (JsonNode t : triples) {
                list.add(new GoldTriple(GoldJson.text(t, "drug", where), GoldJson.text(t, "target", where),
                        GoldJson.text(t, "interaction", where)));
            }
            String title = v.hasNonNull("title") ? GoldJson.text(v, "title", where) : null;
            docs.add(new Document(e.getKey(), title, GoldJson.text(v, "abstract", where), list));
        }
        return docs;
    }
}
