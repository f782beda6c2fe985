package org.biogpt.spark.core.task;

/**
 * One parsed triple, typed by the task's schema, with where its names occur in the source text:
 * the first case-insensitive occurrence as a [start, end) char range, or -1/-1 when absent.
 */
public record Relation(String head, String headType, String relation, String tail, String tailType,
                       int headStart, int headEnd, int tailStart, int tailEnd) {
}
