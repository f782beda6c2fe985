package org.biogpt.spark.jobs.corpus;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.spark.sql.Row;

/**
 * PubTator files read as a stream of documents: lines are grouped into one document at a blank line
 * or when the PMID changes, and each group goes through {@link PubTatorParser}. Only one document is
 * in memory at a time. A broken line makes its document an error row with the line number.
 */
public final class PubTatorReader {
    private PubTatorReader() {
    }

    public static RecordStream.Factory factory() {
        return (in, source, fileIndex) -> {
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            Deque<Row> pending = new ArrayDeque<>();
            StringBuilder block = new StringBuilder();
            String[] blockId = {null};
            int[] lineNo = {0};
            int[] blockStart = {1};
            boolean[] eof = {false};
            return () -> {
                while (pending.isEmpty() && !eof[0]) {
                    String line = lines.readLine();
                    if (line != null) {
                        lineNo[0]++;
                    }
                    String id = line == null || line.isBlank() ? null : idOf(line);
                    boolean boundary = line == null || line.isBlank()
                            || (blockId[0] != null && id != null && !id.equals(blockId[0]));
                    if (boundary && block.length() > 0) {
                        for (PubTatorParser.Result r : PubTatorParser.parse(block.toString(), blockStart[0])) {
                            Document d = r.document();
                            pending.add(d == null
                                    ? Records.error(r.rawId(), null, source, fileIndex, r.error())
                                    : Records.document(d.id(), null, d.title(), d.text(), null, null, null, source, fileIndex));
                        }
                        block.setLength(0);
                        blockId[0] = null;
                    }
                    if (line == null) {
                        eof[0] = true;
                    } else if (!line.isBlank()) {
                        if (block.length() == 0) {
                            blockStart[0] = lineNo[0];
                            blockId[0] = id;
                        }
                        block.append(line).append('\n');
                    }
                }
                return pending.poll();
            };
        };
    }

    private static String idOf(String line) {
        int bar = line.indexOf('|');
        int tab = line.indexOf('\t');
        int cut = bar < 0 ? tab : tab < 0 ? bar : Math.min(bar, tab);
        return cut > 0 ? line.substring(0, cut) : line;
    }
}
