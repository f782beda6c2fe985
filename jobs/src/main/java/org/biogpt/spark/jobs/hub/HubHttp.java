package org.biogpt.spark.jobs.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.biogpt.spark.jobs.io.TerminalText;

/**
 * GET requests to the Hub, with the safety the JDK client does not give by itself:
 * <ul>
 *   <li>Redirects are followed here, not by the client (which would repeat {@code Authorization} to any
 *       host): the token goes only to the origin (scheme, host, port) of the endpoint, so a redirect to
 *       a CDN or anywhere else is followed without it. This is what huggingface_hub does too (requests
 *       drops the header when the host changes); the Hub's CDN URLs are pre-signed and need no token.</li>
 *   <li>Every wait is bounded: connect, response headers and each read of the body ({@link WatchedBody}).</li>
 *   <li>A connection failure, a timeout or a 408/429/5xx answer is tried again after a doubling backoff,
 *       or after the server's {@code Retry-After} when it gives one, never longer than {@link HubLimits#maxWait()}.</li>
 * </ul>
 */
final class HubHttp {
    /** Waits between tries; tests record them instead of sleeping. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Every try of one request failed: the caller should not try the same again. */
    static final class GaveUp extends IOException {
        GaveUp(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** An answer whose status is final (no redirect, no retryable failure), with its body still to read. */
    record Answer(int status, HttpHeaders headers, InputStream body, URI uri) {
    }

    private static final int MAX_REDIRECTS = 10;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

    private final URI origin;
    private final String token;
    private final HubLimits limits;
    private final HttpClient client;
    private final Sleeper sleeper;

    HubHttp(String endpoint, String token, HubLimits limits, Sleeper sleeper) {
        this.origin = originOf(URI.create(endpoint));
        this.token = token;
        this.limits = limits;
        this.sleeper = sleeper;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(limits.connectTimeout()).build();
    }

    /**
     * The final answer to GET {@code url}, tried up to {@link HubLimits#attempts()} times.
     *
     * @param deadline the longest the body may take as a whole, or null (file downloads: only the idle timeout)
     * @throws GaveUp when every try failed; the message says what the last one met
     */
    Answer get(URI url, Map<String, String> headers, Duration deadline, String what) throws IOException {
        IOException last = null;
        Duration serverAsked = null;
        for (int attempt = 1; attempt <= limits.attempts(); attempt++) {
            if (attempt > 1) {
                pause(limits.waitBefore(attempt, serverAsked), what);
            }
            serverAsked = null;
            try {
                Answer a = followRedirects(url, headers, deadline);
                if (!RETRYABLE.contains(a.status()) || attempt == limits.attempts()) {
                    return a;
                }
                serverAsked = retryAfter(a.headers());
                a.body().close();
                last = new IOException("HTTP " + a.status());
            } catch (IOException e) {
                last = e;
            }
        }
        throw new GaveUp("cannot " + what + " after " + limits.attempts() + " tries: " + reason(last), last);
    }

    /** Waits {@code d} between tries (an interrupt ends the command). */
    void pause(Duration d, String what) throws IOException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry " + what, e);
        }
    }

    private Answer followRedirects(URI url, Map<String, String> headers, Duration deadline) throws IOException {
        URI at = url;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(at).timeout(limits.idleTimeout()).GET()
                    .header("User-Agent", "biogpt-spark/0.1.0");
            headers.forEach(b::header);
            if (token != null && originOf(at).equals(origin)) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            InputStream body = new WatchedBody(r.body(), limits.idleTimeout(), deadline);
            if (!REDIRECTS.contains(r.statusCode())) {
                return new Answer(r.statusCode(), r.headers(), body, at);
            }
            body.close();
            String location = r.headers().firstValue("Location").orElse(null);
            if (location == null) {
                throw new IOException("HTTP " + r.statusCode() + " redirect without a Location from " + at);
            }
            if (hop + 1 > MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + url);
            }
            at = next(at, location);
        }
    }

    private static URI next(URI from, String location) throws IOException {
        URI to;
        try {
            to = from.resolve(new URI(location.strip()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IOException("redirect to an invalid URL: " + TerminalText.escape(location));
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || to.getHost() == null) {
            throw new IOException("refusing a redirect to " + TerminalText.escape(to.toString()) + ": only http(s) URLs are followed");
        }
        return to;
    }

    /** Scheme, lower-cased host and port (the scheme's default when absent): what a browser calls an origin. */
    static URI originOf(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + ":" + port);
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        String v = headers.firstValue("Retry-After").map(String::strip).orElse(null);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /**
     * A failure in words: the JDK's connection errors often carry no message of their own (a refused
     * connection arrives as a {@code ConnectException} whose message is null), so the type and the
     * first cause that says something are named.
     */
    static String reason(Throwable e) {
        if (e == null) {
            return "unknown failure";
        }
        if (e instanceof GaveUp) {
            return TerminalText.escape(e.getMessage());
        }
        String message = null;
        for (Throwable t = e; t != null && message == null; t = t.getCause()) {
            message = t.getMessage();
        }
        String type = e.getClass().getSimpleName();
        return TerminalText.escape(message == null ? type : message.startsWith("HTTP ") ? message : type + ": " + message);
    }
}
