package org.biogpt.spark.jobs.corpus;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.spark.sql.Row;

/**
 * PubMed/MEDLINE XML as NLM distributes it ({@code pubmedYYnNNNN.xml.gz}: a {@code PubmedArticleSet}
 * of {@code PubmedArticle}, {@code PubmedBookArticle} and, in update files, {@code DeleteCitation}),
 * read with StAX one record at a time. Per article: PMID and its {@code Version}, title, abstract
 * (every {@code AbstractText} section in order, prefixed with its {@code Label}), journal title,
 * publication year ({@code PubDate/Year}, else the first year in {@code MedlineDate}, else
 * {@code ArticleDate/Year}) and MeSH descriptor names. Inline markup ({@code <i>}, {@code <sup>},
 * MathML, ...) is flattened to its text. No DTD or external entity is ever loaded.
 */
public final class PubMedXmlReader implements RecordStream {
    private static final XMLInputFactory FACTORY = newFactory();

    private final XMLStreamReader xml;
    private final String source;
    private final int fileIndex;
    private final Deque<Row> pending = new ArrayDeque<>();
    private int recordNumber;

    private PubMedXmlReader(InputStream in, String source, int fileIndex) throws XMLStreamException {
        this.xml = FACTORY.createXMLStreamReader(in);
        this.source = source;
        this.fileIndex = fileIndex;
    }

    public static RecordStream.Factory factory() {
        return (in, source, fileIndex) -> {
            try {
                return new PubMedXmlReader(in, source, fileIndex);
            } catch (XMLStreamException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
        };
    }

    static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        try {
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (IllegalArgumentException notSupported) {
            // SUPPORT_DTD=false already keeps the DTD unread.
        }
        return f;
    }

    @Override
    public Row next() throws XMLStreamException {
        while (pending.isEmpty()) {
            if (!xml.hasNext()) {
                return null;
            }
            if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                String name = xml.getLocalName();
                if (name.equals("PubmedArticle") || name.equals("PubmedBookArticle")) {
                    recordNumber++;
                    pending.add(article());
                } else if (name.equals("DeleteCitation")) {
                    deleteCitation();
                }
            }
        }
        return pending.poll();
    }

    private void deleteCitation() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (xml.getLocalName().equals("PMID")) {
                    String pmid = xml.getElementText().strip(); // consumes the end tag
                    depth--;
                    pending.add(!Records.isDigits(pmid)
                            ? Records.error(pmid, null, source, fileIndex, "DeleteCitation with an invalid PMID '" + pmid + "'")
                            : Records.delete(pmid, source, fileIndex));
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /** Reads one article; the reader is on its start tag and ends on its end tag. */
    private Row article() throws XMLStreamException {
        List<String> path = new ArrayList<>();
        String pmid = null;
        String versionAttr = null;
        String articleTitle = null;
        String bookTitle = null;
        String journal = null;
        String pubYear = null;
        String medlineDate = null;
        String articleDateYear = null;
        List<String> sections = new ArrayList<>();
        List<String> mesh = new ArrayList<>();
        StringBuilder capture = null;
        int captureDepth = -1;
        String captureWhat = null;
        String label = null;
        while (true) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                path.add(xml.getLocalName());
                if (capture == null) {
                    String p = String.join("/", path);
                    String what = classify(p);
                    if (what != null) {
                        capture = new StringBuilder();
                        captureDepth = path.size();
                        captureWhat = what;
                        if (what.equals("pmid")) {
                            versionAttr = xml.getAttributeValue(null, "Version");
                        } else if (what.equals("abstract")) {
                            label = xml.getAttributeValue(null, "Label");
                        }
                    }
                }
            } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA
                    || ev == XMLStreamConstants.SPACE) {
                if (capture != null) {
                    capture.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                if (path.isEmpty()) {
                    break; // the record's own end tag
                }
                if (capture != null && path.size() == captureDepth) {
                    String text = Records.normalizeSpace(capture);
                    switch (captureWhat) {
                        case "pmid":
                            if (pmid == null) {
                                pmid = text;
                            }
                            break;
                        case "title":
                            articleTitle = text;
                            break;
                        case "book-title":
                            bookTitle = text;
                            break;
                        case "abstract":
                            if (!text.isEmpty()) {
                                sections.add(label == null || label.isBlank() ? text : label.strip() + ": " + text);
                            }
                            break;
                        case "journal":
                            journal = text;
                            break;
                        case "year":
                            pubYear = text;
                            break;
                        case "medline-date":
                            medlineDate = text;
                            break;
                        case "article-date-year":
                            if (articleDateYear == null) {
                                articleDateYear = text;
                            }
                            break;
                        case "mesh":
                            mesh.add(text);
                            break;
                        default:
                            break;
                    }
                    capture = null;
                    captureWhat = null;
                    label = null;
                }
                path.remove(path.size() - 1);
            }
        }
        String where = "record " + recordNumber;
        if (pmid == null || pmid.isEmpty()) {
            return Records.error(null, articleTitle, source, fileIndex, where + ": no PMID");
        }
        if (!Records.isDigits(pmid)) {
            return Records.error(pmid, articleTitle, source, fileIndex, where + ": PMID '" + pmid + "' is not a number");
        }
        Integer version = 1;
        if (versionAttr != null) {
            try {
                version = Integer.valueOf(versionAttr.strip());
            } catch (NumberFormatException e) {
                return Records.error(pmid, articleTitle, source, fileIndex,
                        where + ": PMID " + pmid + " has an invalid Version '" + versionAttr + "'");
            }
        }
        Integer year = firstYear(pubYear);
        if (year == null) {
            year = firstYear(medlineDate);
        }
        if (year == null) {
            year = firstYear(articleDateYear);
        }
        String title = articleTitle != null && !articleTitle.isEmpty() ? articleTitle : bookTitle;
        return Records.document(pmid, version, title, String.join(" ", sections), journal, year,
                mesh.toArray(String[]::new), source, fileIndex);
    }

    /** What a path (relative to the record element) holds, or null when it is not read. */
    private static String classify(String p) {
        switch (p) {
            case "MedlineCitation/PMID":
            case "BookDocument/PMID":
                return "pmid";
            case "MedlineCitation/Article/ArticleTitle":
            case "BookDocument/ArticleTitle":
                return "title";
            case "BookDocument/Book/BookTitle":
                return "book-title";
            case "MedlineCitation/Article/Abstract/AbstractText":
            case "BookDocument/Abstract/AbstractText":
                return "abstract";
            case "MedlineCitation/Article/Journal/Title":
                return "journal";
            case "MedlineCitation/Article/Journal/JournalIssue/PubDate/Year":
            case "BookDocument/Book/PubDate/Year":
                return "year";
            case "MedlineCitation/Article/Journal/JournalIssue/PubDate/MedlineDate":
            case "BookDocument/Book/PubDate/MedlineDate":
                return "medline-date";
            case "MedlineCitation/Article/ArticleDate/Year":
                return "article-date-year";
            case "MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName":
                return "mesh";
            default:
                return null;
        }
    }

    private static final java.util.regex.Pattern FOUR_DIGITS = java.util.regex.Pattern.compile("(?<!\\d)(\\d{4})(?!\\d)");

    /** The first run of four digits in a date string (e.g. "1998 Dec-1999 Jan" → 1998), or null. */
    static Integer firstYear(String s) {
        if (s == null) {
            return null;
        }
        java.util.regex.Matcher m = FOUR_DIGITS.matcher(s);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
