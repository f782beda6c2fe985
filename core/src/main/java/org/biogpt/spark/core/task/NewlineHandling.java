package org.biogpt.spark.core.task;

/** What happens to line breaks inside the source fields before the template is filled. */
public enum NewlineHandling {
    /** Left as they are (BC5CDR, KD-DTI: the original does not touch them). */
    KEEP,
    /** Each '\n' becomes one space (DDI: {@code abstract.replace('\n', ' ')}). */
    SPACE
}
