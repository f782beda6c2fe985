package org.biogpt.spark.jobs.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.io.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code show}: prints the schema and the first rows of an enrich output (Parquet or JSONL), control characters escaped. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print the schema and first rows of a job's output directory.")
public final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Output directory of enrich (Parquet or JSON lines).")
    String path;

    @Option(names = "--rows", defaultValue = "3", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--columns", split = ",", description = "Only these columns (comma-separated).")
    String[] columns;

    @Override
    public Integer call() {
        SparkSession spark = SparkSessions.create("biogpt-spark show", null, Map.of());
        try {
            Dataset<Row> df = readAny(spark, path);
            if (columns != null && columns.length > 0) {
                df = df.selectExpr(columns);
            }
            Dataset<Row> shown = df;
            System.out.println(TerminalText.escapeKeepingLines(shown.schema().treeString()).stripTrailing());
            System.out.println("rows: " + shown.count());
            System.out.print(TerminalText.escapeKeepingLines(printedBySpark(() -> shown.show(rows, 60, true))));
        } finally {
            spark.stop();
        }
        return 0;
    }

    /**
     * What Spark prints (through Scala's Console) while {@code action} runs. Spark lays out the table and
     * escapes line breaks inside values, but other control characters from the data (an ESC in a title)
     * would reach the terminal raw: the caller escapes them in this text before printing it.
     */
    private static String printedBySpark(Runnable action) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        scala.Console.withOut(buffer, () -> {
            action.run();
            return null;
        });
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static Dataset<Row> readAny(SparkSession spark, String path) {
        try {
            return spark.read().parquet(path);
        } catch (Exception notParquet) {
            return spark.read().json(path);
        }
    }
}
