package org.biogpt.spark.jobs.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * Reads one input file record by record (never the whole file in memory). A bad record comes back
 * as an error row and reading goes on; an exception means the rest of the file cannot be read
 * (corrupt compression, truncated or malformed XML/JSON) and the caller quarantines the file.
 */
public interface RecordStream {
    /** The next row of {@link Records#SCHEMA}, or null at the end of the file. */
    Row next() throws Exception;

    /** Opens a stream over one file; {@code source} is the file's path, {@code fileIndex} its order among the inputs. */
    interface Factory extends Serializable {
        RecordStream open(InputStream in, String source, int fileIndex) throws IOException;
    }
}
