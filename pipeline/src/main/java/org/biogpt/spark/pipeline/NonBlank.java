package org.biogpt.spark.pipeline;

import java.io.Serializable;
import scala.runtime.AbstractFunction1;

/** Param validator: a non-blank string (column names, model path). Serializable, as Params are. */
final class NonBlank extends AbstractFunction1<String, Object> implements Serializable {
    static final NonBlank INSTANCE = new NonBlank();

    @Override
    public Object apply(String s) {
        return s != null && !s.isBlank();
    }
}
