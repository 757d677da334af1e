package dev.lockstep.render.helm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Helm's {@code lookup} sees: nothing, as with {@code helm template}.
 *
 * <p>helm-java's {@code template} runs Helm's install action with a dry-run option that lets the template engine talk
 * to a cluster, so {@code lookup} would use whatever the Go side finds: in the daemon's pod the in-cluster service
 * account, which would let a chart copy live Secrets into its output; on a laptop the user's kubeconfig. Go reads the
 * process environment once, as it was when the process started, so it cannot be changed from here: the environment
 * variable {@code HELM_KUBEAPISERVER} (Helm's own; the image, {@code config/deploy/} and the Maven build set it) must
 * point at {@code http://127.0.0.1:<port>}, and this class serves that port: empty discovery, and 404 for every
 * object, which Helm's {@code lookup} turns into an empty map, exactly what {@code helm template} gives a chart.
 * Without the variable, or with one that is not a loopback {@code http} address, charts are refused.
 *
 * <p>Process-wide on purpose: the address comes from the process environment. When the port is already taken (a
 * second Lockstep process on the host, e.g. the CLI beside the daemon), that process's server answers the same way.
 */
final class OfflineKubeApi {
    static final String VARIABLE = "HELM_KUBEAPISERVER";
    private static final Pattern LOOPBACK = Pattern.compile("http://127\\.0\\.0\\.1:(\\d{1,5})/?");
    private static final Pattern DISCOVERY = Pattern.compile("/api/v1|/apis/[^/]+/[^/]+");
    private static final String NOT_FOUND = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"Lockstep renders charts offline: lookup finds nothing\","
            + "\"reason\":\"NotFound\",\"code\":404}";

    private OfflineKubeApi() {}

    /** Serves the loopback API Helm is pointed at, once per process; refuses when Helm is pointed elsewhere. */
    static void ensureInstalled() throws HelmRenderException {
        String address = System.getenv(VARIABLE);
        Matcher loopback = LOOPBACK.matcher(address == null ? "" : address);
        if (!loopback.matches()) {
            throw new HelmRenderException(VARIABLE + " must be http://127.0.0.1:<port> in Lockstep's environment (the"
                    + " image sets http://127.0.0.1:18089); without it Helm's lookup would query the cluster of the"
                    + " ambient kubeconfig, so no chart is rendered");
        }
        Holder.start(Integer.parseInt(loopback.group(1)));
    }

    private static final class Holder {
        private static boolean started;

        static synchronized void start(int port) {
            if (started) {
                return;
            }
            try {
                ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
                Thread acceptor = new Thread(() -> serve(server), "lockstep-helm-offline-api");
                acceptor.setDaemon(true);
                acceptor.start();
                started = true;
            } catch (BindException e) {
                // another Lockstep process on this host serves the port, with the same answers; asked again at the
                // next render, so this process takes the port over once that one has gone
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve Helm's offline API on 127.0.0.1:" + port, e);
            }
        }
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(5_000);
                answer(socket);
            } catch (IOException e) {
                // one failed exchange only fails that lookup; keep serving
            }
        }
    }

    private static void answer(Socket socket) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
            // headers are not needed; GET requests carry no body
        }
        String path = requestLine == null
                ? ""
                : requestLine.split(" ").length > 1 ? requestLine.split(" ")[1] : "";
        int query = path.indexOf('?');
        // client-go's discovery asks with ?timeout=32s; a list of a kind discovery did not name (Helm then asks for
        // the resource "") reaches the same path without it and must find nothing
        boolean discovery = query >= 0 && path.substring(query).contains("timeout=");
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String status = "404 Not Found";
        String body = NOT_FOUND;
        if (discovery && path.equals("/api")) {
            status = "200 OK";
            body = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}";
        } else if (discovery && path.equals("/apis")) {
            status = "200 OK";
            body = "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}";
        } else if (discovery && DISCOVERY.matcher(path).matches()) {
            status = "200 OK";
            String groupVersion = path.equals("/api/v1") ? "v1" : path.substring("/apis/".length());
            body = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                    + "\",\"resources\":[]}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }
}
