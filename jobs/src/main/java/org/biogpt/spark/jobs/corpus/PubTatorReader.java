package org.biogpt.spark.jobs.corpus;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.spark.sql.Row;

/**
 * PubTator files read as a stream of documents: lines are grouped into one document at a blank line
 * or when the PMID changes, and each group goes through {@link PubTatorParser}. Only one document is
 * in memory at a time, and never more than {@link ReadOptions#maxRecordChars()} of it: a bigger
 * document (or one endless line) is an error row with its size, and reading goes on after it. A broken
 * line makes its document an error row with the line number.
 */
public final class PubTatorReader {
    private PubTatorReader() {
    }

    public static RecordStream.Factory factory() {
        return factory(ReadOptions.DEFAULT);
    }

    public static RecordStream.Factory factory(ReadOptions options) {
        return (in, source, fileIndex) -> {
            BoundedLines lines = new BoundedLines(new InputStreamReader(in, StandardCharsets.UTF_8),
                    options.maxRecordChars());
            Deque<Row> pending = new ArrayDeque<>();
            StringBuilder block = new StringBuilder();
            String[] blockId = {null};
            long[] blockStart = {1};
            long[] blockSize = {0};
            boolean[] eof = {false};
            return () -> {
                while (pending.isEmpty() && !eof[0]) {
                    BoundedLines.Line line = lines.next();
                    boolean blank = line != null && !line.tooLong() && line.text().isBlank();
                    String id = line == null || blank ? null : line.tooLong() ? blockId[0] : idOf(line.text());
                    boolean boundary = line == null || blank
                            || (blockId[0] != null && id != null && !id.equals(blockId[0]));
                    if (boundary && blockSize[0] > 0) {
                        if (blockSize[0] > options.maxRecordChars()) {
                            pending.add(Records.error(blockId[0], null, source, fileIndex, "line " + blockStart[0] + ": "
                                    + options.tooLarge("the document", blockSize[0], false)));
                        } else {
                            for (PubTatorParser.Result r : PubTatorParser.parse(block.toString(), (int) blockStart[0])) {
                                Document d = r.document();
                                pending.add(d == null
                                        ? Records.error(r.rawId(), null, source, fileIndex, r.error())
                                        : Records.document(d.id(), null, d.title(), d.text(), null, null, null, source,
                                                fileIndex));
                            }
                        }
                        block.setLength(0);
                        blockId[0] = null;
                        blockSize[0] = 0;
                    }
                    if (line == null) {
                        eof[0] = true;
                    } else if (!blank) {
                        if (blockSize[0] == 0) {
                            blockStart[0] = line.number();
                            blockId[0] = id;
                        }
                        blockSize[0] += line.length() + 1;
                        if (blockSize[0] <= options.maxRecordChars()) {
                            block.append(line.text()).append('\n');
                        } else {
                            block.setLength(0);
                            block.trimToSize();
                        }
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
