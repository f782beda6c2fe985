package org.biogpt.spark.core.task;

import java.io.Serializable;
import java.util.List;

/**
 * Token classification of one row.
 *
 * @param logits   the classifier's logits at each real token
 * @param labels   each real token's most probable label (config id2label name)
 * @param entities the labelled spans of the row's text (Hugging Face pipeline aggregation), or
 *                 null for a row given as token ids (no text to point into)
 */
public record TokenClassification(float[][] logits, List<String> labels, List<EntitySpan> entities)
        implements Serializable {
}
