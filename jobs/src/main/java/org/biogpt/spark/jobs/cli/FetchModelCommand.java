package org.biogpt.spark.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.biogpt.spark.jobs.hub.HubClient;
import org.biogpt.spark.jobs.hub.HubFile;
import org.biogpt.spark.jobs.hub.HubLimits;
import org.biogpt.spark.jobs.io.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fetch-model}: downloads a checkpoint from the Hugging Face Hub, resumable and checksummed. */
@Command(name = "fetch-model", mixinStandardHelpOptions = true,
        description = {"Download a Hugging Face Hub model repository's checkpoint files (config, tokenizer, weights;"
                + " sharded weights via their index) into a directory that --model accepts.",
            "Interrupted downloads resume (Range requests into <file>.part); every file is verified against the Hub's"
                + " sha256 (LFS) or git blob id before it is put in place.",
            "Environment: HF_TOKEN (gated or private repositories), HF_ENDPOINT (another Hub or a mirror)."})
public final class FetchModelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPO", description = "Repository id, e.g. microsoft/biogpt.")
    String repo;

    @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = "--dest", description = "Destination directory (default: models/<repository name>).")
    Path dest;

    @Option(names = "--all", description = "Download every file of the repository, not only the checkpoint files.")
    boolean all;

    @Option(names = "--endpoint", description = "Hub URL (default: $HF_ENDPOINT or https://huggingface.co).")
    String endpoint;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Longest wait for an answer or for the next bytes of one before the try fails (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--tries", defaultValue = "4",
            description = "Tries per request and per file, with a doubling pause between them (a server's Retry-After"
                    + " is honoured up to 60 s); a file resumes where the last try stopped (default: ${DEFAULT-VALUE}).")
    int tries;

    @Override
    public Integer call() {
        if (!repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?")) {
            throw new IllegalArgumentException("not a repository id: '" + repo + "' (expected owner/name)");
        }
        Path dir = dest != null ? dest : Path.of("models", repo.substring(repo.indexOf('/') + 1));
        if (timeoutSeconds < 1 || tries < 1) {
            throw new IllegalArgumentException("--timeout and --tries must be at least 1");
        }
        HubLimits limits = HubLimits.DEFAULTS.withTimeoutAndAttempts(Duration.ofSeconds(timeoutSeconds), tries);
        HubClient hub = HubClient.fromEnvironment(System.getenv(), endpoint, limits, System.err);
        HubClient.Listing listing = hub.list(repo, revision);
        System.err.println(repo + " at " + TerminalText.escape(revision) + " (commit " + TerminalText.escape(listing.commit())
                + ") -> " + dir);
        List<HubFile> files = all ? listing.files() : hub.checkpointFiles(listing, dir);
        long bytes = 0;
        for (HubFile f : files) {
            hub.download(listing, f, dir);
            bytes += Math.max(0, f.size());
        }
        System.out.printf("fetched %d files (%.1f MB) of %s@%s into %s, all verified%n", files.size(), bytes / 1048576.0,
                repo, TerminalText.escape(listing.commit()), dir);
        return 0;
    }
}
