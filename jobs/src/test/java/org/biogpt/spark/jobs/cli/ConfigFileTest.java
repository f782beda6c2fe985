package org.biogpt.spark.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.biogpt.spark.jobs.Main;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code enrich --config FILE}: values become defaults, the command line overrides them. */
class ConfigFileTest {

    private static EnrichCommand parse(String... args) {
        CommandLine cl = new CommandLine(new Main());
        ConfigFile.install(cl, args);
        cl.parseArgs(args);
        return cl.getSubcommands().get("enrich").getCommand();
    }

    @Test
    void configValuesAreDefaultsAndTheCommandLineWins(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("enrich.conf"), "# comment\ninput=a.xml.gz,b.xml.gz\noutput=out/x\n"
                + "partition-by=file\nkeep-no-abstract=true\ntasks=embed\nmodel=/m/base,entities=/m/ner\nid-col=pmid\n");
        EnrichCommand c = parse("enrich", "--config", conf.toString(), "--output", "cli-out");
        assertEquals(List.of("a.xml.gz", "b.xml.gz"), c.inputs);
        assertEquals("cli-out", c.output);
        assertEquals("file", c.partitionBy);
        assertTrue(c.keepNoAbstract);
        assertEquals("embed", c.tasks);
        assertEquals(List.of("/m/base", "entities=/m/ner"), c.models);
        assertEquals("pmid", c.idCol);
        assertEquals("error", c.mode, "options absent from both keep their built-in default");

        EnrichCommand d = parse("enrich", "--config=" + conf, "--input", "c.xml");
        assertEquals(List.of("c.xml"), d.inputs);
        assertEquals("out/x", d.output);
    }

    @Test
    void unknownKeysAreRejected(@TempDir Path dir) throws IOException {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "outptu=x\n");
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> parse("enrich", "--config", conf.toString()));
        assertTrue(e.getMessage().contains("unknown key 'outptu'"), e.getMessage());
        assertEquals(2, Main.execute("enrich", "--config", conf.toString()));
    }

    @Test
    void theRepositoryExampleConfigParses() {
        Path example = Path.of(System.getProperty("user.dir"), "..", "conf", "enrich.conf");
        EnrichCommand c = parse("enrich", "--config", example.toString());
        assertEquals("year", c.partitionBy);
        assertEquals(CorpusFormat.PUBMED, CorpusFormat.parse(c.format));
        assertEquals(1, c.inputs.size());
    }
}
