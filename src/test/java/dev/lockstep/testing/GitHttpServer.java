package dev.lockstep.testing;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * git's smart-HTTP protocol (v0) for one repository at {@code /remote.git}, behind basic auth with users and passwords
 * that can change while it runs: fetch (upload-pack) and push (receive-pack, with an optional pre-receive hook that
 * can refuse it, as a protected branch would). Test code: no dumb http.
 */
public final class GitHttpServer implements AutoCloseable {
    private static final String SERVICE = "git-upload-pack";
    private static final String RECEIVE = "git-receive-pack";

    public final List<String> acceptedUsers = new CopyOnWriteArrayList<>();
    public final List<String> rejected = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** Every request that reached the server ("GET /remote.git/info/refs?..."), including ones refused with 401. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Ref advertisements served ({@code GET info/refs?service=git-upload-pack} that passed authentication). */
    public final AtomicInteger advertisements = new AtomicInteger();

    public volatile int uploads;
    /** Fetches whose pack was cut off part way by {@link #cutUploadsAfter}. */
    public final AtomicInteger cutUploads = new AtomicInteger();

    /** False while the remote is "down": every request is answered 503 Service Unavailable. */
    private volatile boolean available = true;

    /** When not negative, every fetch's response is cut off (connection closed) after this many bytes. */
    private volatile long cutAfterBytes = -1;

    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private volatile PreReceiveHook preReceive = PreReceiveHook.NULL;
    private final Repository repository;
    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-git-http");
        t.setDaemon(true);
        return t;
    });

    private GitHttpServer(Repository repository) throws IOException {
        this.repository = repository;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpContext context = http.createContext("/remote.git/", this::handle);
        // user filters run before the authenticator, so this sees the unauthenticated first tries too
        context.getFilters()
                .add(Filter.beforeHandler(
                        "count requests",
                        exchange -> requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI())));
        context.setAuthenticator(new BasicAuthenticator("lockstep-test") {
            @Override
            public boolean checkCredentials(String user, String password) {
                String expected = passwords.get(user);
                boolean ok = expected != null
                        && MessageDigest.isEqual(
                                expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
                (ok ? acceptedUsers : rejected).add(user);
                return ok;
            }
        });
        // anything outside the repository is counted too, then refused
        http.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        http.setExecutor(executor);
    }

    public static GitHttpServer start(Repository repository) throws IOException {
        GitHttpServer server = new GitHttpServer(repository);
        server.http.start();
        return server;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public void resetCounts() {
        requests.clear();
        advertisements.set(0);
        uploads = 0;
    }

    /** Adds the user or changes its password; takes effect on the next request. */
    public void setPassword(String user, String password) {
        passwords.put(user, password);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String method = exchange.getRequestMethod();
            if (!available) {
                exchange.sendResponseHeaders(503, -1);
            } else if ("GET".equals(method)
                    && path.equals("/remote.git/info/refs")
                    && ("service=" + SERVICE).equals(query)) {
                advertise(exchange);
            } else if ("GET".equals(method)
                    && path.equals("/remote.git/info/refs")
                    && ("service=" + RECEIVE).equals(query)) {
                advertiseReceive(exchange);
            } else if ("POST".equals(method) && path.equals("/remote.git/" + SERVICE)) {
                upload(exchange);
            } else if ("POST".equals(method) && path.equals("/remote.git/" + RECEIVE)) {
                receive(exchange);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (CutOff.Cut e) {
            // Left unclosed: the server drops the connection without the body's last chunk, mid-pack.
            throw e;
        } catch (IOException | RuntimeException e) {
            errors.add(e);
            exchange.close();
            throw e;
        }
        exchange.close();
    }

    private void advertise(HttpExchange exchange) throws IOException {
        advertisements.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "application/x-" + SERVICE + "-advertisement");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        PacketLineOut packets = new PacketLineOut(out);
        packets.writeString("# service=" + SERVICE + "\n");
        packets.end();
        UploadPack pack = new UploadPack(repository);
        pack.setBiDirectionalPipe(false);
        pack.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(packets));
        out.flush();
    }

    /**
     * From now on, the response of every fetch (upload-pack) stops after {@code bytes} bytes and the connection is
     * dropped, as when a remote goes away in the middle of a fetch; a negative value serves whole responses again.
     */
    public void cutUploadsAfter(long bytes) {
        cutAfterBytes = bytes;
    }

    /** Takes the remote down (every request answered 503) or brings it back. */
    public void setAvailable(boolean up) {
        available = up;
    }

    private void upload(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-" + SERVICE + "-result");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        long limit = cutAfterBytes;
        OutputStream out = limit < 0 ? exchange.getResponseBody() : new CutOff(exchange.getResponseBody(), limit);
        UploadPack pack = new UploadPack(repository);
        pack.setBiDirectionalPipe(false);
        try {
            pack.upload(in, out, null);
        } catch (CutOff.Cut e) {
            cutUploads.incrementAndGet();
            throw e;
        }
        out.flush();
        uploads++;
    }

    /** Passes {@code limit} bytes on, then fails: the response is cut off there. */
    private static final class CutOff extends java.io.FilterOutputStream {
        private long left;

        CutOff(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            out.write(b, off, n);
            left -= n;
            if (n < len) {
                out.flush();
                throw new Cut();
            }
        }

        static final class Cut extends IOException {
            Cut() {
                super("test: response cut off");
            }
        }
    }

    /** Runs before every push is accepted; {@code cmd.setResult(REJECTED_OTHER_REASON, why)} refuses it. */
    public void preReceive(PreReceiveHook hook) {
        preReceive = hook;
    }

    private void advertiseReceive(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-" + RECEIVE + "-advertisement");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        PacketLineOut packets = new PacketLineOut(out);
        packets.writeString("# service=" + RECEIVE + "\n");
        packets.end();
        ReceivePack pack = receivePack();
        pack.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(packets));
        out.flush();
    }

    private void receive(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-" + RECEIVE + "-result");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        receivePack().receive(in, out, null);
        out.flush();
    }

    private ReceivePack receivePack() {
        ReceivePack pack = new ReceivePack(repository);
        pack.setBiDirectionalPipe(false);
        pack.setAllowNonFastForwards(false);
        pack.setPreReceiveHook(preReceive);
        return pack;
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
