package org.biogpt.spark.jobs.hub;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.biogpt.spark.jobs.io.TerminalText;

/**
 * The directory fetch-model writes into, and the only place it writes. File names come from the
 * server, so each is checked before it becomes a path: relative, '/'-separated, no empty, "." or ".."
 * segment, no backslash or control character. Parent folders are created and then resolved: one that
 * is (or passes through) a link leading out of the canonical destination is refused. Partial files are
 * opened without following links, and one that exists but is not a regular file (a planted link, a
 * folder) is refused rather than written through.
 */
final class Destination {
    private final Path root;

    private Destination(Path root) {
        this.root = root;
    }

    /** Creates {@code dir} if needed; everything is then written under its real path. */
    static Destination open(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new Destination(dir.toRealPath());
    }

    Path root() {
        return root;
    }

    /** Where the file named {@code name} goes, its parent folders created and checked. */
    Path target(String name) throws IOException {
        checkName(name);
        Path target = root.resolve(name);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        if (!parent.toRealPath().startsWith(root)) {
            throw new HubException(0, "refusing " + TerminalText.escape(name) + ": its folder leads outside "
                    + root + " through a link");
        }
        return target;
    }

    /** The partial file of {@code target}. */
    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /** The size of a partial file, 0 when there is none; refuses anything but a regular file. */
    static long partSize(Path part) throws IOException {
        BasicFileAttributes a = attributes(part);
        if (a == null) {
            return 0;
        }
        if (!a.isRegularFile()) {
            throw new HubException(0, "refusing to write through " + part + ": it exists and is not a regular file"
                    + " (a link or folder); remove it and run again");
        }
        return a.size();
    }

    /** Opens a partial file for writing, appending or from scratch, never through a link. */
    static OutputStream openPart(Path part, boolean append) throws IOException {
        partSize(part);
        return Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Whether {@code p} is a regular file itself (a link to one does not count). */
    static boolean isRegularFile(Path p) throws IOException {
        BasicFileAttributes a = attributes(p);
        return a != null && a.isRegularFile();
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /** Refuses a server-given file name that could leave the destination or name it. */
    static void checkName(String name) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "it is empty";
        } else if (name.startsWith("/")) {
            problem = "it is absolute";
        } else if (name.indexOf('\\') >= 0) {
            problem = "it holds a backslash";
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            problem = "it holds a control character";
        } else {
            for (String segment : name.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    problem = "it has an empty, '.' or '..' segment";
                    break;
                }
            }
        }
        if (problem != null) {
            throw new HubException(0, "refusing the file name '" + TerminalText.escape(name) + "' from the Hub: " + problem);
        }
    }
}
