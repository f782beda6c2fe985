package org.biogpt.spark.pipeline;

import java.io.Serializable;
import java.util.List;
import scala.runtime.AbstractFunction1;

/**
 * Param validator: one of a fixed list of strings. A bad value fails with a message that names the
 * param and lists the allowed values (Spark's own inArray validator says only "given invalid value").
 * Serializable, as Params are.
 */
final class OneOf extends AbstractFunction1<String, Object> implements Serializable {
    private final String param;
    private final List<String> allowed;

    OneOf(String param, List<String> allowed) {
        this.param = param;
        this.allowed = List.copyOf(allowed);
    }

    @Override
    public Object apply(String value) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException("param " + param + " must be one of " + String.join(", ", allowed)
                    + "; got " + (value == null ? "null" : "'" + value + "'"));
        }
        return true;
    }
}
