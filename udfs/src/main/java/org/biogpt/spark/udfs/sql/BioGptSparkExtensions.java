package org.biogpt.spark.udfs.sql;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.ScalaUDF;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import scala.Function1;
import scala.Option;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The {@code biogpt_*} SQL functions for every session of an application, without Java code:
 * <pre>
 * spark-sql --jars biogpt-spark-cluster.jar \
 *   --conf spark.sql.extensions=org.biogpt.spark.udfs.sql.BioGptSparkExtensions \
 *   --conf spark.biogpt.model=hdfs:///models/biogpt --conf spark.biogpt.entities.model=hdfs:///models/biogpt-ner
 * SELECT pmid, biogpt_entities(abstract).result FROM abstracts
 * </pre>
 * A function's checkpoint comes from the session's {@code spark.biogpt.*} settings when a query uses
 * it ({@link FunctionOptions#fromConf}); a missing setting or model fails that query's analysis with
 * the reason. The functions are those of {@link BioGptFunctions}, with the same {@code struct<result, error>}.
 */
public final class BioGptSparkExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit>
        implements Serializable {

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        for (String name : BioGptFunctions.NAMES) {
            Function1<Seq<Expression>, Expression> builder = children -> expression(name, children);
            extensions.injectFunction(new Tuple3<>(FunctionIdentifier.apply(name),
                    new ExpressionInfo(BioGptFunctions.class.getName(), null, name, usage(name), ""), builder));
        }
        return BoxedUnit.UNIT;
    }

    /** The Catalyst expression of one call, on the checkpoint the active session's settings name. */
    static Expression expression(String name, Seq<Expression> arguments) {
        SparkSession spark = SparkSession.active();
        FunctionOptions options;
        try {
            options = FunctionOptions.fromConf(key -> spark.conf().get(key, null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        BioGptFunctions.SqlFunction f = BioGptFunctions.create(spark, options, name);
        List<Expression> args = CollectionConverters.asJava(arguments);
        if (args.size() != f.arity()) {
            throw new IllegalArgumentException(name + " takes " + f.arity() + " argument" + (f.arity() == 1 ? "" : "s")
                    + ", got " + args.size() + ": " + usage(name));
        }
        for (Expression a : args) {
            DataType t = a.dataType();
            if (!t.equals(DataTypes.StringType) && !t.equals(DataTypes.NullType)) {
                throw new IllegalArgumentException(name + " takes string arguments, got " + t.simpleString()
                        + " (CAST it to STRING): " + usage(name));
            }
        }
        Seq<Option<ExpressionEncoder<?>>> noEncoders = CollectionConverters.asScala(List.<Option<ExpressionEncoder<?>>>of())
                .toSeq();
        return new ScalaUDF(body(f), f.type(), arguments, noEncoders, Option.empty(), Option.apply(name), true, true);
    }

    @SuppressWarnings("unchecked")
    private static Object body(BioGptFunctions.SqlFunction f) {
        if (f.arity() == 1) {
            return new OneArgument((UDF1<String, Object>) f.udf());
        }
        return new TwoArguments((UDF2<String, String, Object>) f.udf());
    }

    static String usage(String name) {
        return switch (name) {
            case "biogpt_relations" -> name + "(text, task) - relations of a BioGPT RE checkpoint (spark.biogpt.relations.model)"
                    + " as struct<result, error>; task = bc5cdr, ddi, kd-dti or a JSON definition";
            case "biogpt_answer" -> name + "(question, context) - PubMedQA answer (spark.biogpt.answer.model) as "
                    + "struct<result, error>";
            default -> name + "(text) - BioGPT " + name.substring("biogpt_".length()) + " of the text as struct<result, error>";
        };
    }

    /** ScalaUDF calls a Scala function of one argument; strings arrive converted from Catalyst's. */
    private static final class OneArgument extends AbstractFunction1<Object, Object> implements Serializable {
        private final UDF1<String, Object> udf;

        OneArgument(UDF1<String, Object> udf) {
            this.udf = udf;
        }

        @Override
        public Object apply(Object text) {
            try {
                return udf.call((String) text);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class TwoArguments extends AbstractFunction2<Object, Object, Object> implements Serializable {
        private final UDF2<String, String, Object> udf;

        TwoArguments(UDF2<String, String, Object> udf) {
            this.udf = udf;
        }

        @Override
        public Object apply(Object first, Object second) {
            try {
                return udf.call((String) first, (String) second);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
