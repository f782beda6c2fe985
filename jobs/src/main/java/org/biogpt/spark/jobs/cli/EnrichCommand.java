package org.biogpt.spark.jobs.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.enrich.EnrichJob;
import org.biogpt.spark.jobs.enrich.EnrichModels;
import org.biogpt.spark.jobs.enrich.EnrichTask;
import org.biogpt.spark.jobs.enrich.WriteMode;
import org.biogpt.spark.jobs.enrich.EnrichSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enrich}: the main Spark job over a corpus of abstracts. */
@Command(name = "enrich", mixinStandardHelpOptions = true,
        description = {"Read abstracts (JSONL, PubTator or Parquet), add per-document model fields, write Parquet or JSONL.",
            "Bad records go to <output>/_quarantine with their reason; counts and timings to <output>/_SUMMARY.json."})
public final class EnrichCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, arity = "1..*", description = "Input files or directories.")
    List<String> inputs;

    @Option(names = "--output", required = true, description = "Output directory.")
    String output;

    @Option(names = "--format", description = "Input format: jsonl, pubtator or parquet (default: from the first input's extension).")
    String format;

    @Option(names = "--output-format", defaultValue = "parquet", description = "parquet or jsonl (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    @Option(names = "--tasks", defaultValue = "entities,classify,embed",
            description = "Model tasks, comma-separated: entities, classify, embed, relations:TASK (bc5cdr, ddi, kd-dti or a "
                    + "task-definitions JSON file; column relations_TASK), qa (needs --question; column answer); empty for "
                    + "token statistics only (default: ${DEFAULT-VALUE}).")
    String tasks;

    @Option(names = "--model", paramLabel = "[TASK=]DIR",
            description = "Checkpoint directory: DIR is the default for every task and the tokenizer, TASK=DIR one task's own (repeatable). "
                    + "Default: the bundled tiny checkpoints in sample-data/models.")
    List<String> models = new ArrayList<>();

    @Option(names = "--question", description = "The question task qa asks of every abstract (the abstract is the context).")
    String question;

    @Option(names = "--max-new-tokens", defaultValue = "64",
            description = "Most tokens a relations task generates per document (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--batch-size", defaultValue = "8", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--master", description = "Spark master (default: local[*], or what spark-submit set).")
    String master;

    @Option(names = "--mode", defaultValue = "error",
            description = "Existing output: error (refuse), overwrite, or incremental (add only ids not yet written). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--overwrite", description = "Same as --mode overwrite.")
    boolean overwrite;

    @Option(names = "--conf", description = "Extra Spark configuration, key=value (repeatable).")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    @Override
    public Integer call() {
        CorpusFormat fmt = format != null ? CorpusFormat.parse(format) : CorpusFormat.guess(inputs.get(0));
        if (!outputFormat.equals("parquet") && !outputFormat.equals("jsonl")) {
            throw new IllegalArgumentException("--output-format must be parquet or jsonl, got '" + outputFormat + "'");
        }
        EnrichJob job = new EnrichJob(inputs, fmt, output, outputFormat, EnrichModels.parse(models),
                EnrichTask.parseList(tasks), batchSize, overwrite ? WriteMode.OVERWRITE : WriteMode.parse(mode), question,
                maxNewTokens);
        EnrichSummary s = job.run(master, sparkConf);
        System.out.println(s.describe());
        return 0;
    }
}
