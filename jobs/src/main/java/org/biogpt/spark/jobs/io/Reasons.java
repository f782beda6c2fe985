package org.biogpt.spark.jobs.io;

/** Turns an exception into the one-line reason a user reads in a log or a quarantine row. */
public final class Reasons {
    private Reasons() {
    }

    /**
     * The exception's class and message on one line. Where it has no message (the JDK's HTTP client
     * throws a {@code ConnectException} without one for a refused connection), the first cause that has
     * one is used, and failing that the class names of the chain, so a reason never reads ": null".
     */
    public static String of(Throwable t) {
        StringBuilder names = new StringBuilder(t.getClass().getSimpleName());
        int depth = 0;
        for (Throwable c = t; c != null && depth < 16; c = next(c), depth++) {
            String m = c instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : c.getMessage();
            if (m != null && !m.isBlank()) {
                return names + ": " + m.replaceAll("\\s+", " ").strip();
            }
            Throwable n = next(c);
            if (n != null) {
                names.append(" (").append(n.getClass().getSimpleName()).append(")");
            }
        }
        return names.toString();
    }

    private static Throwable next(Throwable t) {
        if (t.getCause() != null && t.getCause() != t) {
            return t.getCause();
        }
        if (t instanceof javax.xml.stream.XMLStreamException x && x.getNestedException() != null
                && x.getNestedException() != t) {
            return x.getNestedException();
        }
        return null;
    }
}
