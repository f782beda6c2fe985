package org.biogpt.spark.jobs.hub;

import java.io.PrintStream;

/** A one-line progress bar on stderr: file, bar, percentage, bytes, rate; redrawn at most 5 times a second. */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String name;
    private final long total;
    private final long startBytes;
    private final long startNanos = System.nanoTime();
    private long bytes;
    private long lastDraw;

    Progress(PrintStream out, String name, long total, long already) {
        this.out = out;
        this.name = name;
        this.total = total;
        this.bytes = already;
        this.startBytes = already;
        draw();
    }

    void advance(long n) {
        bytes += n;
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L) {
            draw();
        }
    }

    void done() {
        draw();
        out.println();
    }

    private void draw() {
        lastDraw = System.nanoTime();
        double secs = Math.max((lastDraw - startNanos) / 1e9, 1e-3);
        double rate = (bytes - startBytes) / secs;
        StringBuilder b = new StringBuilder("\r").append(name).append(' ');
        if (total > 0) {
            int fill = (int) Math.min(WIDTH, WIDTH * bytes / total);
            b.append('[').append("=".repeat(fill)).append(" ".repeat(WIDTH - fill)).append("] ");
            b.append(String.format("%3d%% ", 100 * bytes / total));
        }
        b.append(mb(bytes));
        if (total > 0) {
            b.append('/').append(mb(total));
        }
        b.append(String.format(" %s/s", mb((long) rate)));
        out.print(b);
        out.flush();
    }

    private static String mb(long n) {
        return n >= 1 << 20 ? String.format("%.1f MB", n / 1048576.0) : String.format("%.1f kB", n / 1024.0);
    }
}
