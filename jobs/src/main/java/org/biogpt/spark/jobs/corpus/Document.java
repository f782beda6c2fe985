package org.biogpt.spark.jobs.corpus;

import java.io.Serializable;

/** One abstract as the jobs see it, whatever the input format. */
public record Document(String id, String title, String text) implements Serializable {
}
