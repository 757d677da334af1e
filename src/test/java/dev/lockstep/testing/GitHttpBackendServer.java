package dev.lockstep.testing;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * git's own {@code git http-backend} (CGI) behind TLS and basic auth, as an internal git server with a company CA
 * serves it: the JDK's {@link HttpsServer} runs the CGI for each request. The certificate chain comes from
 * {@link TestCa}. Fetch and push (http-backend allows receive-pack once the user is authenticated).
 */
public final class GitHttpBackendServer implements AutoCloseable {
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private final HttpsServer https;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-git-http-backend");
        t.setDaemon(true);
        return t;
    });
    private final Path projectRoot;

    private GitHttpBackendServer(HttpsServer https, Path projectRoot) {
        this.https = https;
        this.projectRoot = projectRoot;
    }

    /**
     * @param projectRoot the directory holding the bare repositories ({@code /<name>.git} in urls)
     * @param serverKeyStore PKCS#12 with the server's key and certificate chain (password {@link TestCa#PASSWORD})
     */
    public static GitHttpBackendServer start(Path projectRoot, Path serverKeyStore, String user, String password)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            keys.load(in, TestCa.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestCa.PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        GitHttpBackendServer server = new GitHttpBackendServer(https, projectRoot);
        var context = https.createContext("/", server::handle);
        context.setAuthenticator(new BasicAuthenticator("git") {
            @Override
            public boolean checkCredentials(String u, String p) {
                return user.equals(u) && password.equals(p);
            }
        });
        https.setExecutor(server.executor);
        https.start();
        return server;
    }

    public int port() {
        return https.getAddress().getPort();
    }

    public String url(String repository) {
        return "https://127.0.0.1:" + port() + "/" + repository;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = exchange.getRequestBody().readAllBytes();
            ProcessBuilder cgi = new ProcessBuilder("git", "http-backend");
            Map<String, String> env = cgi.environment();
            env.put("GIT_PROJECT_ROOT", projectRoot.toString());
            env.put("GIT_HTTP_EXPORT_ALL", "1");
            env.put("REQUEST_METHOD", exchange.getRequestMethod());
            env.put("PATH_INFO", exchange.getRequestURI().getPath());
            env.put(
                    "QUERY_STRING",
                    exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : exchange.getRequestURI().getRawQuery());
            env.put("CONTENT_LENGTH", Integer.toString(body.length));
            env.put("REMOTE_USER", exchange.getPrincipal().getUsername());
            env.put("REMOTE_ADDR", "127.0.0.1");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            env.put("CONTENT_TYPE", contentType == null ? "" : contentType);
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding != null) {
                env.put("HTTP_CONTENT_ENCODING", encoding);
            }
            String protocol = exchange.getRequestHeaders().getFirst("Git-Protocol");
            if (protocol != null) {
                env.put("GIT_PROTOCOL", protocol);
            }
            Process process = cgi.start();
            executor.submit(() -> drain(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(body);
            }
            byte[] output = process.getInputStream().readAllBytes();
            process.waitFor(30, TimeUnit.SECONDS);
            respond(exchange, output);
        } catch (Exception | Error e) {
            errors.add(e);
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** CGI output: headers ("Status: 403 Forbidden", "Content-Type: ..."), a blank line, the body. */
    private static void respond(HttpExchange exchange, byte[] output) throws IOException {
        int split = indexOf(output, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int gap = 4;
        if (split < 0) {
            split = indexOf(output, "\n\n".getBytes(StandardCharsets.US_ASCII));
            gap = 2;
        }
        String head = new String(output, 0, Math.max(split, 0), StandardCharsets.ISO_8859_1);
        int status = 200;
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        int start = split < 0 ? 0 : split + gap;
        int length = output.length - start;
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            exchange.getResponseBody().write(output, start, length);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void drain(InputStream stderr) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stderr.transferTo(out);
            if (out.size() > 0) {
                errors.add(new IOException("git http-backend: " + out.toString(StandardCharsets.UTF_8)));
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    @Override
    public void close() {
        https.stop(0);
        executor.shutdownNow();
    }
}
