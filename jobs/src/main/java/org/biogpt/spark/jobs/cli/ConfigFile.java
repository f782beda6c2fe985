package org.biogpt.spark.jobs.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE} for a subcommand: a properties file whose keys are the command's long option
 * names without dashes ({@code output=...}, {@code partition-by=year}); its values become the options'
 * defaults, so anything given on the command line overrides them. Unknown keys are an error.
 */
public final class ConfigFile implements IDefaultValueProvider {
    private final Properties props;

    private ConfigFile(Properties props) {
        this.props = props;
    }

    /** If {@code args} name a subcommand that has a {@code --config} option and give one, installs its values. */
    public static void install(CommandLine root, String[] args) {
        CommandLine sub = null;
        for (int i = 0; i < args.length; i++) {
            if (sub == null) {
                sub = root.getSubcommands().get(args[i]);
                if (sub != null && sub.getCommandSpec().findOption("--config") == null) {
                    return;
                }
                continue;
            }
            String file = null;
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                file = args[i].substring("--config=".length());
            }
            if (file != null) {
                sub.setDefaultValueProvider(load(sub, Path.of(file)));
                return;
            }
        }
    }

    static ConfigFile load(CommandLine cmd, Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --config " + file + ": " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            OptionSpec o = cmd.getCommandSpec().findOption("--" + key);
            if (o == null || key.equals("config")) {
                throw new CommandLine.ParameterException(cmd, "--config " + file + ": unknown key '" + key
                        + "' (keys are option names without the dashes, e.g. output, partition-by)");
            }
        }
        return new ConfigFile(p);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) {
            return null;
        }
        String value = props.getProperty(o.longestName().replaceFirst("^--", ""));
        return value == null ? null : value.strip();
    }
}
