package org.biogpt.spark.jobs.enrich;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.jobs.io.JsonLines;

/**
 * What an enrich run did: the counts must balance (read = written + quarantined + skipped, where
 * skipped are documents an incremental run found already in the output).
 */
public record EnrichSummary(List<String> inputs, String output, Map<String, String> models, long read, long written,
                            long quarantined, long skipped, double seconds, String sparkVersion) {

    public boolean balanced() {
        return read == written + quarantined + skipped;
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonLines.MAPPER.createObjectNode();
        inputs.forEach(n.putArray("inputs")::add);
        n.put("output", output);
        ObjectNode m = n.putObject("models");
        models.forEach(m::put);
        ObjectNode c = n.putObject("counts");
        c.put("read", read);
        c.put("written", written);
        c.put("quarantined", quarantined);
        c.put("skipped_existing", skipped);
        c.put("balanced", balanced());
        n.put("seconds", seconds);
        n.put("documents_per_second", seconds > 0 ? read / seconds : 0);
        ObjectNode v = n.putObject("versions");
        v.put("biogpt_spark", "0.1.0");
        v.put("spark", sparkVersion);
        v.put("java", System.getProperty("java.version"));
        return n;
    }

    public String describe() {
        return String.format("enrich: read %d, written %d, quarantined %d, already present %d in %.1f s (%.1f docs/s) -> %s",
                read, written, quarantined, skipped, seconds, seconds > 0 ? read / seconds : 0, output);
    }
}
