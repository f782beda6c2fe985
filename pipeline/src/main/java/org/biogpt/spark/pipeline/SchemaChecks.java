package org.biogpt.spark.pipeline;

import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** Schema validation whose messages name the stage, the column and the param involved. */
final class SchemaChecks {
    private SchemaChecks() {
    }

    static void requireColumn(StructType schema, String param, String column, DataType type, String stage) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(stage + ": input column '" + column + "' (param " + param
                    + ") does not exist; columns are " + Arrays.toString(schema.fieldNames()));
        }
        DataType actual = schema.apply(column).dataType();
        if (!actual.equals(type)) {
            throw new IllegalArgumentException(stage + ": input column '" + column + "' (param " + param
                    + ") must be of type " + type.simpleString() + " but is " + actual.simpleString());
        }
    }

    static void requireAbsent(StructType schema, String param, String column, String stage) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(stage + ": output column '" + column + "' (param " + param
                    + ") already exists; choose another name");
        }
    }
}
