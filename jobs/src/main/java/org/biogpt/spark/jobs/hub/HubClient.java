package org.biogpt.spark.jobs.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.biogpt.spark.jobs.io.TerminalText;

/**
 * Downloads a model repository from the Hugging Face Hub (or any server with the same API, via
 * {@code HF_ENDPOINT}): the file list and checksums from {@code /api/models/{repo}/revision/{rev}?blobs=true},
 * files from {@code /{repo}/resolve/{commit}/{path}}. Each file is written to {@code <path>.part}, resumed
 * with a {@code Range} request after an interruption (in this run or an earlier one), verified against
 * the Hub's sha256 (LFS files) or git blob id (small files), and only then renamed into place; a file
 * that fails verification is removed.
 *
 * <p>The server is not trusted: the token goes only to the endpoint's origin ({@link HubHttp}), every
 * wait is bounded ({@link HubLimits}), a body is never written past the size the listing gave, the
 * listing and a weight index are read only up to a cap, and every write stays inside the destination
 * ({@link Destination}).
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** Files a BioGPT checkpoint directory needs besides its weights (those present are fetched). */
    static final List<String> CONFIG_FILES = List.of("config.json", "generation_config.json", "vocab.json", "merges.txt",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final String token;
    private final HubLimits limits;
    private final HubHttp http;
    private final PrintStream log;

    public HubClient(String endpoint, String token, PrintStream log) {
        this(endpoint, token, HubLimits.DEFAULTS, log);
    }

    public HubClient(String endpoint, String token, HubLimits limits, PrintStream log) {
        this(endpoint, token, limits, log, d -> Thread.sleep(Math.max(0, d.toMillis())));
    }

    HubClient(String endpoint, String token, HubLimits limits, PrintStream log, HubHttp.Sleeper sleeper) {
        this.endpoint = (endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.strip()).replaceAll("/+$", "");
        URI e = URI.create(this.endpoint);
        if (e.getHost() == null || !("https".equalsIgnoreCase(e.getScheme()) || "http".equalsIgnoreCase(e.getScheme()))) {
            throw new IllegalArgumentException("the Hub endpoint must be an http(s) URL, got '" + TerminalText.escape(endpoint) + "'");
        }
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.limits = limits;
        this.log = log;
        this.http = new HubHttp(this.endpoint, this.token, limits, sleeper);
    }

    /** A repository at one commit: its files. */
    public record Listing(String repo, String revision, String commit, List<HubFile> files) {
        HubFile file(String path) {
            return files.stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
        }
    }

    public Listing list(String repo, String revision) {
        String url = endpoint + "/api/models/" + repo + "/revision/" + encode(revision) + "?blobs=true";
        byte[] body = readListing(URI.create(url), repo, revision);
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw new HubException(200, "the Hub's answer for " + url + " is not JSON: " + TerminalText.escape(e.getMessage()));
        }
        List<HubFile> files = new ArrayList<>();
        for (JsonNode s : n.path("siblings")) {
            JsonNode lfs = s.get("lfs");
            String sha = null;
            long size = s.path("size").asLong(-1);
            if (lfs != null && lfs.isObject()) {
                sha = lfs.hasNonNull("sha256") ? lfs.get("sha256").asText() : lfs.path("oid").asText(null);
                size = lfs.path("size").asLong(size);
            }
            files.add(new HubFile(s.path("rfilename").asText(), size, sha, s.path("blobId").asText(null)));
        }
        if (files.isEmpty()) {
            throw new HubException(200, "the Hub lists no files for " + repo + " at " + revision);
        }
        return new Listing(repo, revision, n.path("sha").asText(revision), files);
    }

    /**
     * The files of a checkpoint: config and tokenizer files present in the repository, then the weights:
     * {@code model.safetensors}, else its sharded index and shards, else {@code pytorch_model.bin}, else its
     * index and shards. Shard names come from the index file, which is downloaded first into {@code dest}.
     */
    public List<HubFile> checkpointFiles(Listing listing, Path dest) {
        Set<String> names = new LinkedHashSet<>();
        for (String c : CONFIG_FILES) {
            if (listing.file(c) != null) {
                names.add(c);
            }
        }
        if (listing.file("config.json") == null) {
            throw new HubException(0, listing.repo() + " has no config.json: not a Hugging Face model checkpoint");
        }
        if (listing.file("model.safetensors") != null) {
            names.add("model.safetensors");
        } else if (listing.file("model.safetensors.index.json") != null) {
            names.add("model.safetensors.index.json");
            names.addAll(shards(listing, dest, "model.safetensors.index.json"));
        } else if (listing.file("pytorch_model.bin") != null) {
            names.add("pytorch_model.bin");
        } else if (listing.file("pytorch_model.bin.index.json") != null) {
            names.add("pytorch_model.bin.index.json");
            names.addAll(shards(listing, dest, "pytorch_model.bin.index.json"));
        } else {
            throw new HubException(0, listing.repo() + " has no weights (model.safetensors, pytorch_model.bin or a sharded index)");
        }
        List<HubFile> out = new ArrayList<>();
        for (String name : names) {
            HubFile f = listing.file(name);
            if (f == null) {
                throw new HubException(0, "the weight index of " + listing.repo() + " names " + name + ", which the repository lacks");
            }
            out.add(f);
        }
        return out;
    }

    private Set<String> shards(Listing listing, Path dest, String index) {
        HubFile file = listing.file(index);
        if (file.size() > limits.maxIndexBytes()) {
            throw new HubException(0, index + " of " + listing.repo() + " is listed at " + file.size() + " bytes, more than the "
                    + limits.maxIndexBytes() + " a weight index may have");
        }
        Path local = download(listing, file, dest);
        try {
            JsonNode map = JSON.readTree(local.toFile()).path("weight_map");
            Set<String> shards = new TreeSet<>();
            map.fields().forEachRemaining(e -> shards.add(e.getValue().asText()));
            if (shards.isEmpty()) {
                throw new HubException(0, index + " of " + listing.repo() + " has an empty weight_map");
            }
            return shards;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + local, e);
        }
    }

    /** Downloads one file into {@code dest} (resuming, verifying) and returns its final path. */
    public Path download(Listing listing, HubFile file, Path dest) {
        String name = TerminalText.escape(file.path());
        if (file.size() < 0) {
            throw new HubException(0, "the listing gives no size for " + name + ": refusing a download without a bound");
        }
        Path target = null;
        try {
            Destination into = Destination.open(dest);
            target = into.target(file.path());
            Path part = Destination.partOf(target);
            if (Destination.isRegularFile(target) && Files.size(target) == file.size() && verify(target, file) == null) {
                log.println(name + ": already present and verified");
                return target;
            }
            IOException last = null;
            for (int attempt = 1; attempt <= limits.attempts(); attempt++) {
                if (attempt > 1) {
                    log.println();
                    log.println(name + ": connection lost after " + Destination.partSize(part) + " bytes ("
                            + HubHttp.reason(last) + "); resuming (attempt " + attempt + " of " + limits.attempts() + ")");
                    http.pause(limits.waitBefore(attempt, null), "download " + name);
                }
                try {
                    fetchInto(listing, file, part);
                    last = null;
                    break;
                } catch (HubHttp.GaveUp e) {
                    throw new HubException(0, "download of " + name + " failed: " + HubHttp.reason(e)
                            + (Destination.partSize(part) > 0 ? "; run the command again to resume from " + part : ""));
                } catch (IOException e) {
                    last = e;
                }
            }
            if (last != null) {
                throw new HubException(0, "download of " + name + " failed after " + limits.attempts() + " attempts ("
                        + HubHttp.reason(last) + "); run the command again to resume from " + part);
            }
            String problem = verify(part, file);
            if (problem != null) {
                Files.deleteIfExists(part);
                throw new HubException(0, name + ": " + problem + "; the downloaded file was removed");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + (target == null ? name + " under " + dest : target) + ": "
                    + HubHttp.reason(e), e);
        }
    }

    /**
     * One try at completing {@code part}: asks for the bytes it lacks and appends them, never more than
     * the listed size. An IOException means "try again" (the part file keeps what arrived).
     */
    private void fetchInto(Listing listing, HubFile file, Path part) throws IOException {
        String name = TerminalText.escape(file.path());
        long have = Destination.partSize(part);
        if (have > file.size()) {
            Files.delete(part);
            have = 0;
        }
        if (have == file.size() && Files.exists(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return; // complete from an earlier run: verified by the caller
        }
        URI url = URI.create(endpoint + "/" + listing.repo() + "/resolve/" + encode(listing.commit()) + "/" + encodePath(file.path()));
        Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
        HubHttp.Answer r = http.get(url, headers, null, "download " + name);
        try (InputStream body = r.body()) {
            int status = r.status();
            if (status == 416) {
                return; // nothing left to send: the part file is whole (or wrong, which verification tells)
            }
            check(status, listing.repo(), listing.revision(), file.path());
            boolean append = status == 206 && have > 0;
            if (append) {
                long from = rangeStart(r);
                if (from != have) {
                    Files.delete(part); // the server resumed elsewhere: start over on the next try
                    throw new IOException("the server resumed at byte " + from + " instead of " + have);
                }
            } else {
                have = 0;
            }
            long room = file.size() - have;
            Progress progress = new Progress(log, name, file.size(), have);
            try (OutputStream out = Destination.openPart(part, append)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = body.read(buf, 0, (int) Math.min(buf.length, room + 1))) > 0) {
                    if (n > room) {
                        out.write(buf, 0, (int) room);
                        out.close();
                        Files.delete(part);
                        throw new HubException(0, name + ": the server sent more than the " + file.size()
                                + " bytes the listing gives; nothing past that was written and the partial file was removed");
                    }
                    out.write(buf, 0, n);
                    room -= n;
                    progress.advance(n);
                }
            }
            progress.done();
            if (room > 0) {
                throw new IOException("stream ended at " + (file.size() - room) + " of " + file.size() + " bytes");
            }
        }
    }

    /** The first byte a 206 answer holds, from its Content-Range ("bytes 100-999/1000"); -1 when unreadable. */
    private static long rangeStart(HubHttp.Answer r) {
        String cr = r.headers().firstValue("Content-Range").orElse("");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes (\\d{1,18})-").matcher(cr);
        return m.lookingAt() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The listing's bytes: at most {@link HubLimits#maxListingBytes()}, read within the listing deadline, tried again on failure. */
    private byte[] readListing(URI url, String repo, String revision) {
        String what = "list " + repo + " at " + TerminalText.escape(revision);
        IOException last = null;
        for (int attempt = 1; attempt <= limits.attempts(); attempt++) {
            try {
                if (attempt > 1) {
                    http.pause(limits.waitBefore(attempt, null), what);
                }
                HubHttp.Answer r = http.get(url, Map.of(), limits.listingDeadline(), what);
                try (InputStream body = r.body()) {
                    check(r.status(), repo, revision, null);
                    return readAtMost(body, limits.maxListingBytes(), "the listing of " + repo);
                }
            } catch (HubHttp.GaveUp e) {
                last = e;
                break;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new HubException(0, (last instanceof HubHttp.GaveUp ? "" : "cannot " + what + ": ") + HubHttp.reason(last)
                + " (" + url + ")");
    }

    private static byte[] readAtMost(InputStream in, long cap, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + (long) n > cap) {
                throw new HubException(0, what + " is larger than " + cap + " bytes: refused");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Null when the file matches the listing, else what is wrong. */
    static String verify(Path f, HubFile file) throws IOException {
        long size = Files.size(f);
        if (file.size() >= 0 && size != file.size()) {
            return "size " + size + " differs from the Hub's " + file.size();
        }
        if (file.lfsSha256() != null) {
            String got = digest(f, "SHA-256", null);
            return got.equalsIgnoreCase(file.lfsSha256()) ? null
                    : "sha256 mismatch (expected " + file.lfsSha256() + ", got " + got + ")";
        }
        if (file.gitBlobId() != null) {
            String got = digest(f, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return got.equalsIgnoreCase(file.gitBlobId()) ? null
                    : "git blob id mismatch (expected " + file.gitBlobId() + ", got " + got + ")";
        }
        return null;
    }

    static String digest(Path f, String algorithm, byte[] prefix) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (prefix != null) {
            md.update(prefix);
        }
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private void check(int status, String repo, String revision, String file) {
        if (status == 200 || status == 206) {
            return;
        }
        String what = TerminalText.escape(file == null ? "repository " + repo + " at revision " + revision
                : file + " of " + repo + " at " + revision);
        switch (status) {
            case 401:
                throw new HubException(status, "401 Unauthorized for " + what + ": " + (token == null
                        ? "the repository is gated or private (or does not exist); set HF_TOKEN to an access token"
                        : "the token in HF_TOKEN was not accepted; check it at " + endpoint + "/settings/tokens"));
            case 403:
                throw new HubException(status, "403 Forbidden for " + what + ": the token has no access; for a gated model,"
                        + " accept its conditions on " + endpoint + "/" + repo + " with the token's account");
            case 404:
                throw new HubException(status, "404 Not Found: " + what + " does not exist on " + endpoint
                        + " (check the repository name and --revision)");
            default:
                throw new HubException(status, "HTTP " + status + " for " + what + " from " + endpoint);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String p) {
        StringBuilder b = new StringBuilder();
        for (String seg : p.split("/")) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(encode(seg));
        }
        return b.toString();
    }

    /** Environment defaults: HF_ENDPOINT and HF_TOKEN (or HUGGING_FACE_HUB_TOKEN). */
    public static HubClient fromEnvironment(Map<String, String> env, String endpointOverride, HubLimits limits, PrintStream log) {
        String endpoint = endpointOverride != null ? endpointOverride : env.getOrDefault("HF_ENDPOINT", DEFAULT_ENDPOINT);
        String token = env.getOrDefault("HF_TOKEN", env.get("HUGGING_FACE_HUB_TOKEN"));
        return new HubClient(endpoint, token, limits, log);
    }
}
