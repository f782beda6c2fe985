package org.biogpt.spark.jobs.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Downloads a model repository from the Hugging Face Hub (or any server with the same API, via
 * {@code HF_ENDPOINT}): the file list and checksums from {@code /api/models/{repo}/revision/{rev}?blobs=true},
 * files from {@code /{repo}/resolve/{commit}/{path}}. Each file is written to {@code <path>.part}, resumed
 * with a {@code Range} request after an interruption (in this run or an earlier one), verified against
 * the Hub's sha256 (LFS files) or git blob id (small files), and only then renamed into place; a file
 * that fails verification is removed.
 */
public final class HubClient {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** Files a BioGPT checkpoint directory needs besides its weights (those present are fetched). */
    static final List<String> CONFIG_FILES = List.of("config.json", "generation_config.json", "vocab.json", "merges.txt",
            "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 4;

    private final String endpoint;
    private final String token;
    private final HttpClient http;
    private final PrintStream log;

    public HubClient(String endpoint, String token, PrintStream log) {
        this.endpoint = (endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint).replaceAll("/+$", "");
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.log = log;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** A repository at one commit: its files. */
    public record Listing(String repo, String revision, String commit, List<HubFile> files) {
        HubFile file(String path) {
            return files.stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
        }
    }

    public Listing list(String repo, String revision) {
        String url = endpoint + "/api/models/" + repo + "/revision/" + encode(revision) + "?blobs=true";
        HttpResponse<byte[]> r = send(request(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray(),
                "list " + repo + " at " + revision);
        check(r.statusCode(), repo, revision, null);
        JsonNode n;
        try {
            n = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new HubException(r.statusCode(), "the Hub's answer for " + url + " is not JSON: " + e.getMessage());
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
            throw new HubException(r.statusCode(), "the Hub lists no files for " + repo + " at " + revision);
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
        Path local = download(listing, listing.file(index), dest);
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
        Path target = dest.resolve(file.path()).normalize();
        if (!target.startsWith(dest.normalize())) {
            throw new HubException(0, "refusing a file path outside the destination: " + file.path());
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            if (Files.exists(target) && (file.size() < 0 || Files.size(target) == file.size()) && verify(target, file) == null) {
                log.println(file.path() + ": already present and verified");
                return target;
            }
            IOException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    fetchInto(listing, file, part);
                    last = null;
                    break;
                } catch (IOException e) {
                    last = e;
                    long have = Files.exists(part) ? Files.size(part) : 0;
                    log.println();
                    log.println(file.path() + ": connection lost after " + have + " bytes (" + e.getMessage()
                            + "); resuming (attempt " + (attempt + 1) + " of " + ATTEMPTS + ")");
                }
            }
            if (last != null) {
                throw new UncheckedIOException("download of " + file.path() + " failed after " + ATTEMPTS
                        + " attempts; run the command again to resume from " + part, last);
            }
            String problem = verify(part, file);
            if (problem != null) {
                Files.deleteIfExists(part);
                throw new HubException(0, file.path() + ": " + problem + "; the downloaded file was removed");
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private void fetchInto(Listing listing, HubFile file, Path part) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (file.size() >= 0 && have > file.size()) {
            Files.delete(part);
            have = 0;
        }
        if (file.size() >= 0 && have == file.size() && Files.exists(part)) {
            return; // complete from an earlier run: verified by the caller
        }
        String url = endpoint + "/" + listing.repo() + "/resolve/" + encode(listing.commit()) + "/" + encodePath(file.path());
        HttpRequest.Builder b = request(url).GET();
        if (have > 0) {
            b.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), "download " + file.path());
        try (InputStream body = r.body()) {
            int status = r.statusCode();
            if (status == 416) {
                return; // nothing left to send: the part file is whole (or wrong, which verification tells)
            }
            check(status, listing.repo(), listing.revision(), file.path());
            boolean append = status == 206 && have > 0;
            if (!append) {
                have = 0;
            }
            long total = file.size() >= 0 ? file.size() : have + r.headers().firstValueAsLong("Content-Length").orElse(-1);
            Progress progress = new Progress(log, file.path(), total, have);
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = body.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    progress.advance(n);
                }
            }
            progress.done();
            long now = Files.size(part);
            if (file.size() >= 0 && now < file.size()) {
                throw new IOException("stream ended at " + now + " of " + file.size() + " bytes");
            }
        }
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

    private HttpRequest.Builder request(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "biogpt-spark/0.1.0");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return http.send(req, handler);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot " + what + " (" + req.uri() + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void check(int status, String repo, String revision, String file) {
        if (status == 200 || status == 206) {
            return;
        }
        String what = file == null ? "repository " + repo + " at revision " + revision : file + " of " + repo + " at " + revision;
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
    public static HubClient fromEnvironment(Map<String, String> env, String endpointOverride, PrintStream log) {
        String endpoint = endpointOverride != null ? endpointOverride : env.getOrDefault("HF_ENDPOINT", DEFAULT_ENDPOINT);
        String token = env.getOrDefault("HF_TOKEN", env.get("HUGGING_FACE_HUB_TOKEN"));
        return new HubClient(endpoint, token, log);
    }
}
