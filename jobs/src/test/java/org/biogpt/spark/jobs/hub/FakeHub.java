package org.biogpt.spark.jobs.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hub on 127.0.0.1 serving one repository the way huggingface.co does: the revision listing with
 * {@code siblings} (rfilename, size, blobId, lfs {sha256, size, pointerSize}), files under
 * {@code /{repo}/resolve/{commit}/{path}} with Range support, and 401/404 answers. Knobs let a test cut
 * a connection part way, serve wrong bytes, demand a token, redirect, answer 429/503 first, stall, send
 * more than it lists or an endless listing. Its lifetime is bounded: a stalled answer waits at most
 * {@link #STALL_LIMIT_SECONDS} or until {@link #close()}.
 */
final class FakeHub implements AutoCloseable {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private final HttpServer server;
    final String repo;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, Boolean> lfs = new LinkedHashMap<>();
    /** Per file: cut the connection after this many bytes on the next full (non-Range) request. */
    final Map<String, Integer> cutOnce = new ConcurrentHashMap<>();
    /** Per file: bytes served instead of the real ones (the listing keeps the real checksum). */
    final Map<String, byte[]> corrupt = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** The Authorization header of every request, "" when there was none. */
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger rangeRequests = new AtomicInteger();
    volatile String requiredToken;
    /** Request path -> Location answered with 302 (before the path is served). */
    final Map<String, String> redirects = new ConcurrentHashMap<>();
    /** Request path -> statuses answered first, one per request, each with "Retry-After: retryAfter" when set. */
    final Map<String, Deque<Integer>> failFirst = new ConcurrentHashMap<>();
    volatile String retryAfter;
    /** Request paths whose answer never comes (the headers are not sent). */
    final Set<String> stallBeforeHeaders = ConcurrentHashMap.newKeySet();
    /** File names whose body stops after this many bytes and then stalls. */
    final Map<String, Integer> stallAfter = new ConcurrentHashMap<>();
    /** File names served with this many bytes (more than listed), in chunked encoding. */
    final Map<String, Long> overlong = new ConcurrentHashMap<>();
    /** When positive, the listing is an endless JSON array, cut by the server after this many bytes. */
    volatile long endlessListingBytes;

    static final int STALL_LIMIT_SECONDS = 60;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-hub");
        t.setDaemon(true);
        return t;
    });

    FakeHub(String repo) throws IOException {
        this.repo = repo;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String listingPath(String revision) {
        return "/api/models/" + repo + "/revision/" + revision;
    }

    String filePath(String name) {
        return "/" + repo + "/resolve/" + COMMIT + "/" + name;
    }

    private void stall() {
        try {
            closing.await(STALL_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeHub file(String name, byte[] content, boolean isLfs) {
        files.put(name, content);
        lfs.put(name, isLfs);
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        try (ex) {
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                send(ex, 401, "{\"error\":\"Invalid credentials in Authorization header\"}");
                return;
            }
            if (stallBeforeHeaders.contains(path)) {
                stall();
                return;
            }
            Deque<Integer> fail = failFirst.get(path);
            Integer status = fail == null ? null : fail.poll();
            if (status != null) {
                if (retryAfter != null) {
                    ex.getResponseHeaders().add("Retry-After", retryAfter);
                }
                send(ex, status, "{\"error\":\"try later\"}");
                return;
            }
            String location = redirects.get(path);
            if (location != null) {
                ex.getResponseHeaders().add("Location", location);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            String listing = "/api/models/" + repo + "/revision/";
            if (path.startsWith(listing)) {
                if (endlessListingBytes > 0) {
                    sendEndlessListing(ex);
                } else {
                    send(ex, 200, listingJson());
                }
                return;
            }
            String resolve = "/" + repo + "/resolve/" + COMMIT + "/";
            if (!path.startsWith(resolve) || !files.containsKey(path.substring(resolve.length()))) {
                send(ex, 404, "{\"error\":\"Entry not found\"}");
                return;
            }
            String name = path.substring(resolve.length());
            byte[] body = corrupt.getOrDefault(name, files.get(name));
            Long longer = overlong.get(name);
            if (longer != null) {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                byte[] chunk = new byte[1 << 16];
                for (long sent = 0; sent < longer; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, longer - sent));
                }
                return;
            }
            Integer stallAt = stallAfter.get(name);
            if (stallAt != null) {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body, 0, stallAt);
                ex.getResponseBody().flush();
                stall();
                return;
            }
            int from = 0;
            if (range != null) {
                rangeRequests.incrementAndGet();
                from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
                if (from >= body.length) {
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            OutputStream out = ex.getResponseBody();
            Integer cut = range == null ? cutOnce.remove(name) : null;
            if (cut != null) {
                out.write(body, 0, cut);
                out.flush();
                // Drop the connection mid-body, as a network failure would.
                throw new IOException("cut");
            }
            out.write(body, from, body.length - from);
        } catch (IOException cut) {
            // the exchange is closed without finishing the body: the client sees a truncated response
        }
    }

    private void sendEndlessListing(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(("{\"sha\": \"" + COMMIT + "\", \"siblings\": [").getBytes(StandardCharsets.UTF_8));
        byte[] entry = "{\"rfilename\": \"x.bin\", \"size\": 1},".getBytes(StandardCharsets.UTF_8);
        for (long sent = 0; sent < endlessListingBytes; sent += entry.length) {
            out.write(entry);
        }
    }

    private String listingJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("id", repo);
        n.put("sha", COMMIT);
        ArrayNode sib = n.putArray("siblings");
        files.forEach((name, content) -> {
            ObjectNode s = sib.addObject();
            s.put("rfilename", name);
            if (lfs.get(name)) {
                s.put("blobId", "ffffffffffffffffffffffffffffffffffffffff"); // the pointer's blob, not the content's
                s.put("size", content.length);
                ObjectNode l = s.putObject("lfs");
                l.put("sha256", hex("SHA-256", content, null));
                l.put("size", content.length);
                l.put("pointerSize", 134);
            } else {
                s.put("blobId", hex("SHA-1", content, ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII)));
                s.put("size", content.length);
            }
        });
        return n.toString();
    }

    static String hex(String alg, byte[] content, byte[] prefix) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            if (prefix != null) {
                md.update(prefix);
            }
            return HexFormat.of().formatHex(md.digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
