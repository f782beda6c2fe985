package org.biogpt.spark.jobs.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.biogpt.spark.jobs.corpus.ColumnNames;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.corpus.ReadOptions;
import org.biogpt.spark.jobs.enrich.EnrichJob;
import org.biogpt.spark.jobs.enrich.EnrichModels;
import org.biogpt.spark.jobs.enrich.EnrichSummary;
import org.biogpt.spark.jobs.enrich.EnrichTask;
import org.biogpt.spark.jobs.enrich.PartitionBy;
import org.biogpt.spark.jobs.enrich.WriteMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enrich}: the main Spark job over a corpus of abstracts. */
@Command(name = "enrich", mixinStandardHelpOptions = true,
        description = {"Read abstracts (PubMed XML, BioC XML/JSON, PubTator, JSONL or Parquet), add per-document model fields,"
                + " write Parquet or JSONL.",
            "Bad records and unreadable files go to <output>/_quarantine with their reason; counts and timings to"
                + " <output>/_SUMMARY.json.",
            "Options can come from a file of key=value lines named like the options (--config); the command line wins."})
public final class EnrichCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of defaults: one option per line, e.g. output=work-out/enriched, partition-by=year"
                    + " (lists comma-separated). Options given on the command line override it.")
    String config;

    @Option(names = "--input", arity = "1..*", split = ",",
            description = "Input files, directories or globs (local, hdfs:, s3a:); several allowed. Required.")
    List<String> inputs;

    @Option(names = "--output", description = "Output directory. Required.")
    String output;

    @Option(names = "--format", description = "Input format of every file: pubmed, bioc-xml, bioc-json, pubtator, jsonl,"
            + " parquet, or auto (the default): each file on its own, from its name where that is sure (pubmedYYnNNNN.xml,"
            + " *bioc*.xml/json, .pubtator, .jsonl, .parquet) and else from its first bytes. Files in folders that are"
            + " not corpus data (README*, *.md5, *.html, hidden) are skipped and counted.")
    String format;

    @Option(names = "--verify-md5", description = "Check every input file against the .md5 file beside it (as NLM"
            + " publishes them) before reading it; a file that does not match, or has none, is quarantined.")
    boolean verifyMd5;

    @Option(names = "--max-record-chars", defaultValue = "" + ReadOptions.DEFAULT_MAX_RECORD_CHARS,
            description = "Most characters of text one record (or one JSONL/PubTator line) may hold; a bigger one is"
                    + " quarantined with its size (default: ${DEFAULT-VALUE}).")
    long maxRecordChars;

    @Option(names = "--id-col", description = "JSONL/Parquet: id column (default: id, else pmid).")
    String idCol;

    @Option(names = "--title-col", description = "JSONL/Parquet: title column (default: title).")
    String titleCol;

    @Option(names = "--text-col", description = "JSONL/Parquet: text column (default: text, else abstract).")
    String textCol;

    @Option(names = "--keep-no-abstract", description = "Keep records without an abstract (title only) instead of skipping them."
            + " Skipped ones are counted either way.")
    boolean keepNoAbstract;

    @Option(names = "--output-format", defaultValue = "parquet", description = "parquet or jsonl (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    @Option(names = "--partition-by", defaultValue = "auto",
            description = "Output layout: year (year=YYYY/), file (input_file=NAME/), none, or auto = year for PubMed XML,"
                    + " none otherwise (default: ${DEFAULT-VALUE}).")
    String partitionBy;

    @Option(names = "--tasks", defaultValue = "entities,classify,embed",
            description = "Model tasks, comma-separated: entities, classify, embed, relations:TASK (bc5cdr, ddi, kd-dti or a "
                    + "task-definitions JSON file; column relations_TASK), qa (needs --question; column answer); empty for "
                    + "token statistics only (default: ${DEFAULT-VALUE}).")
    String tasks;

    @Option(names = "--model", paramLabel = "[TASK=]DIR", split = ",",
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
            description = "Existing output: error (refuse), overwrite (replace an earlier enrich output; anything else needs"
                    + " --force), or incremental (add only ids not yet written). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--commit-every", defaultValue = "" + EnrichJob.DEFAULT_COMMIT_EVERY,
            description = "Incremental mode: commit the output every this many documents, so a run that dies keeps "
                    + "its finished batches and a re-run does the rest (default: ${DEFAULT-VALUE}).")
    int commitEvery;

    @Option(names = "--overwrite", description = "Same as --mode overwrite.")
    boolean overwrite;

    @Option(names = "--force", description = "With --mode overwrite: also delete an output folder that is not an earlier"
            + " enrich output (no _SUMMARY.json from enrich, or other files in it). Inputs and output may never overlap.")
    boolean force;

    @Option(names = "--conf", description = "Extra Spark configuration, key=value (repeatable).")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("--input is required (on the command line or as input= in --config)");
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("--output is required (on the command line or as output= in --config)");
        }
        CorpusFormat fmt = format != null ? CorpusFormat.parse(format) : CorpusFormat.AUTO;
        if (!outputFormat.equals("parquet") && !outputFormat.equals("jsonl")) {
            throw new IllegalArgumentException("--output-format must be parquet or jsonl, got '" + outputFormat + "'");
        }
        EnrichJob job = new EnrichJob(inputs, fmt, output, outputFormat, EnrichModels.parse(models),
                EnrichTask.parseList(tasks), batchSize, overwrite ? WriteMode.OVERWRITE : WriteMode.parse(mode), question,
                maxNewTokens)
                .columns(new ColumnNames(idCol, titleCol, textCol))
                .keepNoAbstract(keepNoAbstract)
                .partitionBy(PartitionBy.parse(partitionBy))
                .withCommitEvery(commitEvery)
                .readOptions(new ReadOptions(maxRecordChars, verifyMd5))
                .force(force);
        EnrichSummary s = job.run(master, sparkConf);
        System.out.println(s.describe());
        return 0;
    }
}
