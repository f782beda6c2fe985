package org.biogpt.spark.jobs.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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
 * BioC collections (XML and JSON), one {@code document} at a time. The title is the passage whose
 * {@code type} infon is {@code title} (or {@code front}); the text is every passage whose type starts
 * with {@code abstract}, in order, or, when there is none, every other passage. {@code year} and
 * {@code journal} infons (document or passage level, as PubTator Central writes them) fill those
 * columns. A document whose id is missing, or whose passage offsets or annotation locations are not
 * numbers, is an invalid record: it comes back as an error row and reading goes on.
 */
public final class BioCReader {
    private static final XMLInputFactory XML = PubMedXmlReader.newFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BioCReader() {
    }

    /** One passage as read: its infons, offset text and text. */
    record Passage(Map<String, String> infons, String offset, String text) {
    }

    /** One document as read, before it becomes a row. */
    static final class Doc {
        String id;
        final Map<String, String> infons = new HashMap<>();
        final List<Passage> passages = new ArrayList<>();
        String error;
        int annotations;

        void fail(String reason) {
            if (error == null) {
                error = reason;
            }
        }
    }

    static Row toRow(Doc d, int number, String source, int fileIndex) {
        String where = "document " + number;
        if (d.id == null || d.id.isBlank()) {
            return Records.error(null, null, source, fileIndex, where + ": no id");
        }
        if (d.error != null) {
            return Records.error(d.id.strip(), null, source, fileIndex, where + " (" + d.id.strip() + "): " + d.error);
        }
        String title = null;
        List<String> abstracts = new ArrayList<>();
        List<String> others = new ArrayList<>();
        String year = d.infons.get("year");
        String journal = d.infons.get("journal");
        for (Passage p : d.passages) {
            try {
                if (p.offset() != null && !p.offset().isBlank()) {
                    Integer.parseInt(p.offset().strip());
                }
            } catch (NumberFormatException e) {
                return Records.error(d.id.strip(), null, source, fileIndex,
                        where + " (" + d.id.strip() + "): passage offset '" + p.offset() + "' is not a number");
            }
            String type = p.infons().getOrDefault("type", "").toLowerCase(Locale.ROOT);
            String text = p.text() == null ? "" : Records.normalizeSpace(p.text());
            if (title == null && (type.equals("title") || type.equals("front"))) {
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

    /** BioC XML: {@code collection/document/(id, infon, passage/(infon, offset, text, annotation))}. */
    public static RecordStream.Factory xmlFactory() {
        return (in, source, fileIndex) -> {
            XMLStreamReader xml;
            try {
                xml = XML.createXMLStreamReader(in);
            } catch (XMLStreamException e) {
                throw new IOException(e.getMessage(), e);
            }
            int[] number = {0};
            return () -> {
                while (xml.hasNext()) {
                    if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("document")) {
                        number[0]++;
                        return toRow(readXmlDocument(xml), number[0], source, fileIndex);
                    }
                }
                return null;
            };
        };
    }

    private static Doc readXmlDocument(XMLStreamReader xml) throws XMLStreamException {
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
                    return d;
                }
                String name = xml.getLocalName();
                if (name.equals("passage") && depth == 1) {
                    d.passages.add(new Passage(passageInfons, passageOffset, passageText));
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
                d.id = xml.getElementText();
                depth--;
            } else if (depth == 1 && name.equals("infon")) {
                d.infons.put(xml.getAttributeValue(null, "key"), xml.getElementText());
                depth--;
            } else if (depth == 1 && name.equals("passage")) {
                passageInfons = new HashMap<>();
                passageOffset = null;
                passageText = null;
            } else if (depth == 2 && passageInfons != null && name.equals("infon")) {
                passageInfons.put(xml.getAttributeValue(null, "key"), xml.getElementText());
                depth--;
            } else if (depth == 2 && passageInfons != null && name.equals("offset")) {
                passageOffset = xml.getElementText();
                depth--;
            } else if (depth == 2 && passageInfons != null && name.equals("text")) {
                passageText = xml.getElementText();
                depth--;
            } else if (depth == 2 && name.equals("annotation")) {
                inAnnotation = true;
                d.annotations++;
            } else if (inAnnotation && name.equals("location")) {
                checkLocation(d, xml.getAttributeValue(null, "offset"), xml.getAttributeValue(null, "length"));
            }
        }
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

    /**
     * BioC JSON: a collection object with a {@code documents} array (streamed one document at a time),
     * or a bare array of documents.
     */
    public static RecordStream.Factory jsonFactory() {
        return (in, source, fileIndex) -> {
            JsonParser p = new JsonFactory(MAPPER).createParser(in);
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                // Move to the "documents" array; other collection fields (source, date, key, infons) are skipped.
                while (true) {
                    JsonToken t = p.nextToken();
                    if (t == null || t == JsonToken.END_OBJECT) {
                        throw new IOException("BioC JSON collection without a \"documents\" array");
                    }
                    String field = p.currentName();
                    p.nextToken();
                    if ("documents".equals(field) && p.currentToken() == JsonToken.START_ARRAY) {
                        break;
                    }
                    p.skipChildren();
                }
            } else if (first != JsonToken.START_ARRAY) {
                throw new IOException("not a BioC JSON collection (starts with " + first + ")");
            }
            int[] number = {0};
            return () -> {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_ARRAY) {
                    return null;
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException("BioC JSON: expected a document object, found " + t);
                }
                number[0]++;
                JsonNode doc = p.readValueAsTree();
                return toRow(jsonDocument(doc), number[0], source, fileIndex);
            };
        };
    }

    private static Doc jsonDocument(JsonNode n) {
        Doc d = new Doc();
        JsonNode id = n.get("id");
        d.id = id == null || id.isNull() ? null : id.asText();
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
}
