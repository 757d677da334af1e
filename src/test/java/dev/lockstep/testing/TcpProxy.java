package dev.lockstep.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a loopback port in front of one server (the test API server), so a test can break one client's link
 * without touching the server others share. TLS passes through as bytes: point the client at {@code 127.0.0.1:port()}
 * and it still talks to the real server. On demand the link is:
 *
 * <ul>
 *   <li>{@link #cut()}: every open connection is closed and new ones are closed at once (a server gone away);
 *   <li>{@link #stall()}: connections stay open but no byte moves either way (a black-holed network); new ones connect
 *       and hang;
 *   <li>{@link #stallEstablished()}: the connections open now stay open but move no byte; new ones work (a watch whose
 *       connection a middlebox forgot, while the client can still reach the server);
 *   <li>{@link #delay(Duration)}: every chunk from the client reaches the server that much later (a slow link: each
 *       request takes at least that long, concurrent requests are not serialised);
 *   <li>{@link #restore()}: back to normal; bytes held by a stall are delivered.
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

    private enum Mode {
        OPEN,
        CUT,
        STALLED
    }

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile Mode mode = Mode.OPEN;
    private volatile long delayMillis;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicLong bytesToServer = new AtomicLong();

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    public static TcpProxy start(String host, int port) {
        try {
            TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, port));
            proxy.threads.execute(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a proxy to " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far (including ones closed at once while cut). */
    public int connections() {
        return connections.get();
    }

    /** How many times {@link #cut()} was called. */
    public int cuts() {
        return cuts.get();
    }

    /** Bytes forwarded from clients to the server: a stalled or cut link forwards none. */
    public long bytesToServer() {
        return bytesToServer.get();
    }

    public void cut() {
        cuts.incrementAndGet();
        synchronized (gate) {
            mode = Mode.CUT;
            gate.notifyAll(); // threads held by a stall give up
        }
        links.forEach(Link::close);
        log.info("proxy :{} cut", port());
    }

    public void stall() {
        mode = Mode.STALLED;
        log.info("proxy :{} stalled", port());
    }

    /** Stalls every connection open now; connections made later pass. {@link #restore()} releases them. */
    public void stallEstablished() {
        links.forEach(l -> l.held = true);
        log.info("proxy :{} stalled its {} open connections", port(), links.size());
    }

    public void delay(Duration perChunk) {
        delayMillis = perChunk.toMillis();
        log.info("proxy :{} delays each chunk by {} ms", port(), delayMillis);
    }

    public void restore() {
        delayMillis = 0;
        synchronized (gate) {
            links.forEach(l -> l.held = false);
            mode = Mode.OPEN;
            gate.notifyAll();
        }
        log.info("proxy :{} restored", port());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                if (mode == Mode.CUT) {
                    client.setSoLinger(true, 0); // a reset, as from a host that has gone away
                    client.close();
                    continue;
                }
                Link link = new Link(client);
                links.add(link);
                threads.execute(link::connect);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.debug("proxy accept failed: {}", e.toString());
                }
            }
        }
    }

    /** Waits while stalled; false when the link was cut meanwhile. */
    private boolean passable() throws InterruptedException {
        return passable(null);
    }

    /** The same, also waiting while {@code link} alone is held. */
    private boolean passable(Link link) throws InterruptedException {
        synchronized (gate) {
            while (mode == Mode.STALLED || (link != null && link.held && mode != Mode.CUT)) {
                gate.wait();
            }
            return mode == Mode.OPEN;
        }
    }

    private final class Link {
        private final Socket client;
        private volatile Socket upstream;
        /** Stalled on its own by {@link #stallEstablished()}. */
        volatile boolean held;

        Link(Socket client) {
            this.client = client;
        }

        void connect() {
            try {
                if (!passable()) {
                    close();
                    return;
                }
                Socket up = new Socket();
                up.connect(target, 5_000);
                up.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                upstream = up;
                threads.execute(() -> toServer(client, up));
                threads.execute(() -> pump(up, client));
            } catch (IOException e) {
                close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
            }
        }

        /** Client to server, through a queue so a delay adds latency to each chunk without serialising them. */
        private void toServer(Socket from, Socket to) {
            BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
            threads.execute(() -> deliver(queue, to));
            try (InputStream in = from.getInputStream()) {
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayMillis * 1_000_000));
                }
            } catch (IOException e) {
                // closed by a cut or by either side
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                queue.add(Chunk.END);
            }
        }

        private void deliver(BlockingQueue<Chunk> queue, Socket to) {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == Chunk.END) {
                        break;
                    }
                    long wait = chunk.due() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (!passable(this)) {
                        break;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                    bytesToServer.addAndGet(chunk.bytes().length);
                }
            } catch (IOException e) {
                // closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        private void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!passable(this)) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        void close() {
            links.remove(this);
            quietly(client);
            Socket up = upstream;
            if (up != null) {
                quietly(up);
            }
        }

        private static void quietly(Socket s) {
            try {
                s.setSoLinger(true, 0);
            } catch (SocketException e) {
                // already closed
            }
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private record Chunk(byte[] bytes, long due) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    @Override
    public void close() {
        restore();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(Link::close);
        threads.shutdownNow();
    }
}
