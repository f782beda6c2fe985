package org.biogpt.spark.jobs.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.jobs.io.JsonLines;

/**
 * What an enrich run did. The counts must balance: every record read is written, quarantined, skipped
 * because an incremental run found its id already in the output, deleted by a PubMed
 * {@code DeleteCitation}, superseded by a higher version of the same PMID, or skipped for having no
 * abstract. {@code deleteEntries} (the DeleteCitation PMIDs seen) are not records and are reported apart, as
 * is {@code removedFromOutput}: rows an earlier incremental run wrote that this run's DeleteCitation entries removed.
 * {@code skippedFiles} are files the input folders held that are not corpus data (README, checksums, hidden
 * files): never read, never records, named so that nothing is left out without a word.
 */
public record EnrichSummary(List<String> inputs, String output, Map<String, String> models, long read, long written,
                            long quarantined, long skipped, long deleted, long superseded, long skippedNoAbstract,
                            long deleteEntries, long removedFromOutput, String partitionBy, double seconds,
                            String sparkVersion, List<String> skippedFiles) {
    /** File names listed in {@code _SUMMARY.json} at most; the count is always complete. */
    static final int LISTED_SKIPPED_FILES = 100;

    public EnrichSummary {
        skippedFiles = skippedFiles == null ? List.of() : List.copyOf(skippedFiles);
    }

    /** The counts of a run without deletions, versions or abstract-less records. */
    public EnrichSummary(List<String> inputs, String output, Map<String, String> models, long read, long written,
                         long quarantined, long skipped, double seconds, String sparkVersion) {
        this(inputs, output, models, read, written, quarantined, skipped, 0, 0, 0, 0, 0, "none", seconds, sparkVersion,
                List.of());
    }

    public boolean balanced() {
        return read == written + quarantined + skipped + deleted + superseded + skippedNoAbstract;
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonLines.MAPPER.createObjectNode();
        inputs.forEach(n.putArray("inputs")::add);
        n.put("output", output);
        n.put("partition_by", partitionBy);
        ObjectNode m = n.putObject("models");
        models.forEach(m::put);
        ObjectNode c = n.putObject("counts");
        c.put("read", read);
        c.put("written", written);
        c.put("quarantined", quarantined);
        c.put("skipped_existing", skipped);
        c.put("deleted", deleted);
        c.put("superseded_versions", superseded);
        c.put("skipped_no_abstract", skippedNoAbstract);
        c.put("delete_citations", deleteEntries);
        c.put("removed_from_existing_output", removedFromOutput);
        c.put("balanced", balanced());
        c.put("skipped_files", skippedFiles.size());
        skippedFiles.stream().limit(LISTED_SKIPPED_FILES).forEach(n.putArray("skipped_files")::add);
        n.put("seconds", seconds);
        n.put("documents_per_second", seconds > 0 ? read / seconds : 0);
        ObjectNode v = n.putObject("versions");
        v.put("biogpt_spark", "0.1.0");
        v.put("spark", sparkVersion);
        v.put("java", System.getProperty("java.version"));
        return n;
    }

    public String describe() {
        return String.format("enrich: read %d = written %d + quarantined %d + already present %d + deleted %d"
                        + " + older versions %d + no abstract %d (%d DeleteCitation PMIDs, %d earlier rows removed,"
                        + " %d non-data files skipped) in %.1f s (%.1f docs/s) -> %s",
                read, written, quarantined, skipped, deleted, superseded, skippedNoAbstract, deleteEntries, removedFromOutput,
                skippedFiles.size(), seconds,
                seconds > 0 ? read / seconds : 0, output);
    }
}
