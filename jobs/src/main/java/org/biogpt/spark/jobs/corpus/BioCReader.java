package org.biogpt.spark.jobs.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.spark.sql.Row;

/**
 * BioC collections (XML and JSON), one {@code document} at a time. A passage's section is its
 * {@code type} infon, else its {@code section_type} infon (as BioC-PMC and PubTator3 write it), case
 * ignored. The title is the {@code title} (or {@code front}) passage; when no passage says its
 * section at all (BioRED's BioC JSON), the first passage, at offset 0, is the title by the convention
 * of PubMed documents. The text is every {@code abstract*} passage in order, or, when there is none,
 * every other passage. {@code year} and {@code journal} infons (document or passage level, as PubTator
 * Central writes them) fill those columns. JSON may be a collection object ({@code documents}), a
 * PubTator3 export ({@code {"PubTator3": [...]}}), a bare array of documents, an array of collections
 * (the BioC-PMC API's answer), or one bare document. A document whose id is missing, whose passage offsets or
 * annotation locations are not numbers, or whose text passes {@link ReadOptions#maxRecordChars()}, is an
 * invalid record: it comes back as an error row and reading goes on.
 */
public final class BioCReader {
    private static final XMLInputFactory XML = PubMedXmlReader.newFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BioCReader() {
    }

    /** One passage as read: its infons, offset text and text. */
    record Passage(Map<String, String> infons, String offset, String text) {
        String section() {
            String t = infons.get("type");
            if (t == null || t.isBlank()) {
                t = infons.get("section_type");
            }
            return t == null ? "" : t.strip().toLowerCase(Locale.ROOT);
        }
    }

    /** One document as read, before it becomes a row. */
    static final class Doc {
        String id;
        final Map<String, String> infons = new HashMap<>();
        final List<Passage> passages = new ArrayList<>();
        String error;
        int annotations;
        long size;

        void fail(String reason) {
            if (error == null) {
                error = reason;
            }
        }
    }

    static Row toRow(Doc d, int number, String source, int fileIndex) {
        String where = "document " + number;
        if (d.id == null || d.id.isBlank()) {
            return Records.error(null, null, source, fileIndex, where + ": " + (d.error != null ? d.error : "no id"));
        }
        if (d.error != null) {
            return Records.error(d.id.strip(), null, source, fileIndex, where + " (" + d.id.strip() + "): " + d.error);
        }
        String title = null;
        List<String> abstracts = new ArrayList<>();
        List<String> others = new ArrayList<>();
        String year = d.infons.get("year");
        String journal = d.infons.get("journal");
        boolean anySection = d.passages.stream().anyMatch(p -> !p.section().isEmpty());
        for (int i = 0; i < d.passages.size(); i++) {
            Passage p = d.passages.get(i);
            Integer offset;
            try {
                offset = p.offset() == null || p.offset().isBlank() ? null : Integer.valueOf(p.offset().strip());
            } catch (NumberFormatException e) {
                return Records.error(d.id.strip(), null, source, fileIndex,
                        where + " (" + d.id.strip() + "): passage offset '" + p.offset() + "' is not a number");
            }
            String type = p.section();
            String text = p.text() == null ? "" : Records.normalizeSpace(p.text());
            boolean untypedTitle = !anySection && i == 0 && d.passages.size() > 1 && (offset == null || offset == 0);
            if (title == null && (type.equals("title") || type.equals("front") || untypedTitle)) {
                title = text;
            } else if (type.startsWith("abstract")) {
                abstracts.add(text);
            } else {
                others.add(text);
            }
            year = year != null ? year : p.infons().get("year");
            journal = journal != null ? journal : p.infons().get("journal");
        }
        List<String> body = abstracts.isEmpty() ? others : abstracts;
        body.removeIf(String::isEmpty);
        return Records.document(d.id.strip(), null, title, String.join(" ", body), journal,
                PubMedXmlReader.firstYear(year), null, source, fileIndex);
    }

    public static RecordStream.Factory xmlFactory() {
        return xmlFactory(ReadOptions.DEFAULT);
    }

    /** BioC XML: {@code collection/document/(id, infon, passage/(infon, offset, text, annotation))}. */
    public static RecordStream.Factory xmlFactory(ReadOptions options) {
        return (in, source, fileIndex) -> {
            XMLStreamReader xml;
            try {
                xml = XML.createXMLStreamReader(in);
            } catch (XMLStreamException e) {
                throw new IOException(e.getMessage(), e);
            }
            int[] number = {0};
            boolean[] rootSeen = {false};
            return () -> {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                        if (!rootSeen[0]) {
                            rootSeen[0] = true;
                            if (!xml.getLocalName().equals("collection")) {
                                throw new XMLStreamException("root element <" + xml.getLocalName()
                                        + "> is not a BioC <collection>");
                            }
                        } else if (xml.getLocalName().equals("document")) {
                            number[0]++;
                            Doc d = readXmlDocument(xml, new RecordBudget(options.maxRecordChars()), options);
                            return toRow(d, number[0], source, fileIndex);
                        }
                    }
                }
                return null;
            };
        };
    }

    private static Doc readXmlDocument(XMLStreamReader xml, RecordBudget budget, ReadOptions options)
            throws XMLStreamException {
        Doc d = new Doc();
        Map<String, String> passageInfons = null;
        String passageOffset = null;
        String passageText = null;
        int depth = 0; // below <document>
        boolean inAnnotation = false;
        while (true) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                if (depth == 0) {
                    if (budget.exceeded()) {
                        d.passages.clear();
                        d.fail(options.tooLarge("the document", budget.seen(), false));
                    }
                    return d;
                }
                String name = xml.getLocalName();
                if (name.equals("passage") && depth == 1) {
                    if (!budget.exceeded()) {
                        d.passages.add(new Passage(passageInfons, passageOffset, passageText));
                    }
                    passageInfons = null;
                } else if (name.equals("annotation")) {
                    inAnnotation = false;
                }
                depth--;
                continue;
            }
            if (ev != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            depth++;
            String name = xml.getLocalName();
            if (depth == 1 && name.equals("id")) {
                d.id = text(xml, budget);
                depth--;
            } else if (depth == 1 && name.equals("infon")) {
                String key = xml.getAttributeValue(null, "key");
                d.infons.put(key, text(xml, budget));
                depth--;
            } else if (depth == 1 && name.equals("passage")) {
                passageInfons = new HashMap<>();
                passageOffset = null;
                passageText = null;
            } else if (depth == 2 && passageInfons != null && name.equals("infon")) {
                String key = xml.getAttributeValue(null, "key");
                passageInfons.put(key, text(xml, budget));
                depth--;
            } else if (depth == 2 && passageInfons != null && name.equals("offset")) {
                passageOffset = text(xml, budget);
                depth--;
            } else if (depth == 2 && passageInfons != null && name.equals("text")) {
                passageText = text(xml, budget);
                depth--;
            } else if (depth == 2 && name.equals("annotation")) {
                inAnnotation = true;
                d.annotations++;
            } else if (inAnnotation && name.equals("location")) {
                checkLocation(d, xml.getAttributeValue(null, "offset"), xml.getAttributeValue(null, "length"));
            }
        }
    }

    /** The text of the current element, counted against the document's budget; consumes its end tag. */
    private static String text(XMLStreamReader xml, RecordBudget budget) throws XMLStreamException {
        RecordBudget.Text t = budget.text();
        PubMedXmlReader.readText(xml, t);
        return t.toString();
    }

    private static void checkLocation(Doc d, String offset, String length) {
        try {
            int o = Integer.parseInt(offset == null ? "" : offset.strip());
            int l = Integer.parseInt(length == null ? "" : length.strip());
            if (o < 0 || l < 0) {
                d.fail("annotation location " + offset + "+" + length + " is negative");
            }
        } catch (NumberFormatException e) {
            d.fail("annotation location offset='" + offset + "' length='" + length + "' is not a number");
        }
    }

    public static RecordStream.Factory jsonFactory() {
        return jsonFactory(ReadOptions.DEFAULT);
    }

    /**
     * BioC JSON, streamed one document at a time: a collection object with a {@code documents} array,
     * a PubTator3 export ({@code PubTator3} array), a bare array of documents, or an array of collections.
     * No string may pass {@link ReadOptions#maxRecordChars()} (Jackson refuses it and the rest of the
     * file is quarantined, since a JSON stream cannot be resumed inside a string).
     */
    public static RecordStream.Factory jsonFactory(ReadOptions options) {
        return (in, source, fileIndex) -> {
            JsonFactory factory = new JsonFactory(MAPPER);
            factory.setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) Math.min(Integer.MAX_VALUE - 16, options.maxRecordChars())).build());
            JsonParser p = factory.createParser(in);
            Deque<JsonToken> open = new ArrayDeque<>(); // arrays we are inside whose elements are documents
            Row[] single = {null}; // a file that is one bare document (as PubTator's per-document export)
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                open.push(first);
            } else if (first == JsonToken.START_OBJECT) {
                RecordBudget budget = new RecordBudget(options.maxRecordChars());
                ObjectNode node = JsonNodeFactory.instance.objectNode();
                if (readObjectOrEnterDocuments(p, node, budget, true)) {
                    open.push(JsonToken.START_ARRAY);
                } else if (node.has("passages") || budget.exceeded()) {
                    single[0] = document(node, budget, 1, options, source, fileIndex);
                } else {
                    throw new IOException("BioC JSON object with neither a \"documents\" or \"PubTator3\" array nor"
                            + " \"passages\"");
                }
            } else {
                throw new IOException("not a BioC JSON collection (starts with " + first + ")");
            }
            int[] number = {0};
            return () -> {
                if (single[0] != null) {
                    Row r = single[0];
                    single[0] = null;
                    return r;
                }
                while (!open.isEmpty()) {
                    JsonToken t = p.nextToken();
                    if (t == null) {
                        throw new IOException("BioC JSON ends inside an array (truncated file)");
                    }
                    if (t == JsonToken.END_ARRAY) {
                        open.pop();
                        if (open.size() == 1) {
                            skipRestOfObject(p); // the collection that held this documents array
                        }
                        continue;
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw new IOException("BioC JSON: expected a document object, found " + t);
                    }
                    RecordBudget budget = new RecordBudget(options.maxRecordChars());
                    ObjectNode node = JsonNodeFactory.instance.objectNode();
                    // An element of a bare top-level array may itself be a collection (BioC-PMC's answer).
                    boolean collection = readObjectOrEnterDocuments(p, node, budget, open.size() == 1);
                    if (collection) {
                        open.push(JsonToken.START_ARRAY);
                        continue;
                    }
                    number[0]++;
                    return document(node, budget, number[0], options, source, fileIndex);
                }
                return null;
            };
        };
    }

    private static Row document(ObjectNode node, RecordBudget budget, int number, ReadOptions options, String source,
                                int fileIndex) {
        Doc d = budget.exceeded() ? new Doc() : jsonDocument(node);
        if (budget.exceeded()) {
            JsonNode id = node.get("id");
            d.id = id == null ? null : id.asText();
            d.fail(options.tooLarge("the document", budget.seen(), false));
        }
        return toRow(d, number, source, fileIndex);
    }

    private static void skipRestOfObject(JsonParser p) throws IOException {
        while (true) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.END_OBJECT) {
                return;
            }
            p.nextToken();
            p.skipChildren();
        }
    }

    /**
     * Reads the fields of the object whose start the parser is on into {@code into}, counting text against
     * the budget (and keeping nothing once it is spent). When {@code mayBeCollection} and a field is a
     * {@code documents} (or PubTator3's {@code PubTator3}) array, stops there (the parser at the array's
     * start) and returns true.
     */
    private static boolean readObjectOrEnterDocuments(JsonParser p, ObjectNode into, RecordBudget budget,
                                                      boolean mayBeCollection) throws IOException {
        while (true) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT) {
                return false;
            }
            if (t == null) {
                throw new IOException("BioC JSON ends inside a document (truncated file)");
            }
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (mayBeCollection && v == JsonToken.START_ARRAY && ("documents".equals(field) || "PubTator3".equals(field))) {
                return true;
            }
            budget.add(field.length());
            JsonNode value = readValue(p, budget);
            if (!budget.exceeded()) {
                into.set(field, value);
            }
        }
    }

    /** The value the parser is on, as a tree, or null once the budget is spent (read through, not kept). */
    private static JsonNode readValue(JsonParser p, RecordBudget budget) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            readObjectOrEnterDocuments(p, o, budget, false);
            return budget.exceeded() ? null : o;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw new IOException("BioC JSON ends inside an array (truncated file)");
                }
                JsonNode v = readValue(p, budget);
                if (!budget.exceeded()) {
                    a.add(v);
                }
            }
            return budget.exceeded() ? null : a;
        }
        if (t == JsonToken.VALUE_STRING) {
            if (!budget.add(p.getTextLength())) {
                return null;
            }
            return JsonNodeFactory.instance.textNode(p.getText());
        }
        budget.add(8);
        return budget.exceeded() ? null : (JsonNode) p.readValueAsTree();
    }

    private static Doc jsonDocument(JsonNode n) {
        Doc d = new Doc();
        d.id = firstText(n, "id", "pmid", "_id");
        if (d.id != null && d.id.endsWith("|None")) { // PubTator3's "_id": "PMID|PMCID or None"
            d.id = d.id.substring(0, d.id.length() - "|None".length());
        }
        n.path("infons").fields().forEachRemaining(e -> d.infons.put(e.getKey(), e.getValue().asText()));
        for (JsonNode p : n.path("passages")) {
            Map<String, String> infons = new HashMap<>();
            p.path("infons").fields().forEachRemaining(e -> infons.put(e.getKey(), e.getValue().asText()));
            JsonNode offset = p.get("offset");
            JsonNode text = p.get("text");
            d.passages.add(new Passage(infons, offset == null || offset.isNull() ? null : offset.asText(),
                    text == null || text.isNull() ? null : text.asText()));
            for (JsonNode a : p.path("annotations")) {
                d.annotations++;
                for (JsonNode loc : a.path("locations")) {
                    checkLocation(d, loc.path("offset").asText(null), loc.path("length").asText(null));
                }
            }
        }
        if (!n.path("passages").isArray()) {
            d.fail("no passages array");
        }
        return d;
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            JsonNode v = n.get(f);
            if (v != null && !v.isNull() && v.isValueNode() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }
}
