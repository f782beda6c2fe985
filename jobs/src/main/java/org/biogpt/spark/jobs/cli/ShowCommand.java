package org.biogpt.spark.jobs.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.jobs.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code show}: prints the schema and the first rows of an enrich output (Parquet or JSONL). */
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
            df.printSchema();
            System.out.println("rows: " + df.count());
            df.show(rows, 60, true);
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static Dataset<Row> readAny(SparkSession spark, String path) {
        try {
            return spark.read().parquet(path);
        } catch (Exception notParquet) {
            return spark.read().json(path);
        }
    }
}
