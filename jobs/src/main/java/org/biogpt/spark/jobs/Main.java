package org.biogpt.spark.jobs;

import org.biogpt.spark.jobs.cli.BenchCommand;
import org.biogpt.spark.jobs.cli.ClassifyCommand;
import org.biogpt.spark.jobs.cli.ClassifyTokensCommand;
import org.biogpt.spark.jobs.cli.ConfigFile;
import org.biogpt.spark.jobs.cli.DoctorCommand;
import org.biogpt.spark.jobs.cli.EmbedCommand;
import org.biogpt.spark.jobs.cli.EnrichCommand;
import org.biogpt.spark.jobs.cli.EvaluateCommand;
import org.biogpt.spark.jobs.cli.FetchModelCommand;
import org.biogpt.spark.jobs.cli.GenerateCommand;
import org.biogpt.spark.jobs.cli.MakeRandomCheckpointCommand;
import org.biogpt.spark.jobs.cli.ScoreCommand;
import org.biogpt.spark.jobs.cli.ShowCommand;
import org.biogpt.spark.jobs.cli.TokenizeCommand;
import org.biogpt.spark.jobs.cli.TokenizerBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code biogpt-spark} command line: one subcommand per job or tool. */
@Command(name = "biogpt-spark", mixinStandardHelpOptions = true, version = "biogpt-spark 0.1.0",
        description = "BioGPT biomedical language models over literature corpora, on Apache Spark.",
        subcommands = {
            EnrichCommand.class,
            ShowCommand.class,
            TokenizeCommand.class,
            ScoreCommand.class,
            ClassifyTokensCommand.class,
            ClassifyCommand.class,
            EmbedCommand.class,
            GenerateCommand.class,
            EvaluateCommand.class,
            TokenizerBenchCommand.class,
            BenchCommand.class,
            MakeRandomCheckpointCommand.class,
            FetchModelCommand.class,
            DoctorCommand.class,
        })
public final class Main implements Runnable {
    static {
        // Must happen before any DJL class loads: otherwise DJL's engine start phones home.
        Offline.enforce();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (used by tests as well as by {@link #main}). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (Boolean.getBoolean("biogpt.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        try {
            ConfigFile.install(cl, args);
        } catch (CommandLine.ParameterException | java.io.UncheckedIOException e) {
            cl.getErr().println("error: " + e.getMessage());
            return 2;
        }
        return cl.execute(args);
    }
}
