package org.biogpt.spark.jobs.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a corpus file's format from its first bytes (after decompression), for files whose name does
 * not say it ({@code .xml} may be PubMed or BioC, {@code .json} BioC or JSON Lines, a bare name anything):
 * the XML root element ({@code PubmedArticleSet}, {@code MedlineCitationSet}, {@code PubmedBookArticleSet}
 * → PubMed; {@code collection} → BioC), a JSON array (BioC documents or collections), a JSON object
 * holding a {@code documents} or {@code PubTator3} array (BioC JSON) or else one object per line
 * (JSON Lines), {@code PMID|t|} or {@code PMID|a|} (PubTator), {@code PAR1} (Parquet).
 */
final class FormatSniffer {
    static final int PREFIX = 1 << 16;
    private static final Pattern ROOT = Pattern.compile("<([A-Za-z_][\\w.\\-]*:)?([A-Za-z_][\\w.\\-]*)");
    private static final Pattern PUBTATOR = Pattern.compile("^\\d+\\|[ta]\\|");
    private static final JsonFactory JSON = new JsonFactory();

    private FormatSniffer() {
    }

    /** The format, or null when the first bytes match none; the stream is left at its start. */
    static CorpusFormat sniff(BufferedInputStream in) throws IOException {
        in.mark(PREFIX + 1);
        byte[] head = in.readNBytes(PREFIX);
        in.reset();
        return sniff(head);
    }

    static CorpusFormat sniff(byte[] head) throws IOException {
        String s = new String(head, StandardCharsets.UTF_8);
        int i = 0;
        if (s.startsWith("\uFEFF")) {
            i = 1;
        }
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return null;
        }
        if (s.startsWith("PAR1", i)) {
            return CorpusFormat.PARQUET;
        }
        char c = s.charAt(i);
        if (c == '<') {
            return xmlRoot(s.substring(i));
        }
        if (c == '[') {
            return CorpusFormat.BIOC_JSON;
        }
        if (c == '{') {
            return jsonObject(s.substring(i));
        }
        return PUBTATOR.matcher(s.substring(i)).find() ? CorpusFormat.PUBTATOR : null;
    }

    private static CorpusFormat xmlRoot(String s) {
        int i = 0;
        while (i < s.length()) {
            int lt = s.indexOf('<', i);
            if (lt < 0 || lt + 1 >= s.length()) {
                return null;
            }
            char next = s.charAt(lt + 1);
            if (next == '?' || next == '!') { // declaration, comment or DOCTYPE
                int end = s.startsWith("<!--", lt) ? s.indexOf("-->", lt) : s.indexOf('>', lt);
                if (end < 0) {
                    return null;
                }
                i = end + 1;
                continue;
            }
            Matcher m = ROOT.matcher(s);
            if (!m.find(lt) || m.start() != lt) {
                return null;
            }
            switch (m.group(2)) {
                case "PubmedArticleSet":
                case "MedlineCitationSet":
                case "PubmedBookArticleSet":
                    return CorpusFormat.PUBMED;
                case "collection":
                    return CorpusFormat.BIOC_XML;
                default:
                    return null;
            }
        }
        return null;
    }

    private static CorpusFormat jsonObject(String s) throws IOException {
        int firstNewline = s.indexOf('\n');
        try (JsonParser p = JSON.createParser(s)) {
            p.nextToken(); // START_OBJECT
            while (true) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_OBJECT) {
                    // One record per line, unless the object spans lines (a pretty-printed BioC document).
                    long end = p.currentLocation().getCharOffset();
                    return firstNewline >= 0 && firstNewline < end ? CorpusFormat.BIOC_JSON : CorpusFormat.JSONL;
                }
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_ARRAY && (name.equals("documents") || name.equals("PubTator3"))) {
                    return CorpusFormat.BIOC_JSON;
                }
                p.skipChildren();
            }
        } catch (com.fasterxml.jackson.core.io.JsonEOFException cutShort) {
            // The prefix ended inside the first object: a record spanning lines cannot be JSON Lines.
            long line = cutShort.getLocation() == null ? -1 : cutShort.getLocation().getCharOffset();
            return firstNewline >= 0 && (line < 0 || firstNewline < line) ? CorpusFormat.BIOC_JSON : CorpusFormat.JSONL;
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            return null;
        }
    }
}
