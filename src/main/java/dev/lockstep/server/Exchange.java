package dev.lockstep.server;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One request and its response, as the routes see them: the project's own small API over the HTTP server, so that no
 * route depends on the server library. Writes block until the bytes are handed to the network (a client that stops
 * reading fails them after the connection's idle timeout); the body is read with a deadline of its own.
 */
final class Exchange {
    /** The body did not arrive in time: the router answers 408 and closes the connection. */
    static final class SlowBody extends IOException {
        SlowBody(Duration deadline) {
            super("the request body did not arrive within " + deadline.toSeconds() + " s");
        }
    }

    /**
     * The largest unread body read and discarded after an early answer to keep the connection: the webhook's default
     * cap. A larger one, or one of unknown length, closes the connection instead.
     */
    static final int DISCARD_LIMIT = Endpoints.DEFAULT_MAX_WEBHOOK_BYTES;

    private final Request request;
    private final Response response;
    private final Duration bodyTimeout;
    private int status = -1;
    private boolean discardAfterAnswer;
    private boolean bodyRead;

    Exchange(Request request, Response response, Duration bodyTimeout) {
        this.request = request;
        this.response = response;
        this.bodyTimeout = bodyTimeout;
    }

    String method() {
        return request.getMethod();
    }

    /** The decoded path, without the query. */
    String path() {
        String path = Request.getPathInContext(request);
        return path == null ? "" : path;
    }

    /** The first value of a request header, or null. */
    String header(String name) {
        return request.getHeaders().get(name);
    }

    List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** The status sent, or -1 while nothing was. */
    int status() {
        return status;
    }

    /**
     * The whole body, or empty when it is (or says it is) larger than {@code maxBytes}; never buffers more than that.
     * Waits at most the body timeout for it, then throws {@link SlowBody}.
     */
    Optional<byte[]> body(int maxBytes) throws IOException {
        long declared = request.getLength();
        if (declared > maxBytes) {
            return Optional.empty();
        }
        CompletableFuture<byte[]> read = Content.Source.asByteArrayAsync(request, maxBytes);
        try {
            byte[] body = read.get(bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            bodyRead = true;
            return Optional.of(body);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new SlowBody(bodyTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopping");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw new SlowBody(bodyTimeout); // the connection's idle timeout struck first
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            return Optional.empty(); // more than maxBytes arrived (a body without a Content-Length)
        }
    }

    /** Sends the status, the headers set so far and the whole body, and ends the response. */
    void respond(int code, byte[] body) throws IOException {
        status = code;
        closeUnlessBodyConsumed();
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        write(true, ByteBuffer.wrap(body));
    }

    /** Sends the status and headers now and keeps the response open for {@link #stream(byte[])} (chunked). */
    void openStream(int code) throws IOException {
        status = code;
        closeUnlessBodyConsumed();
        response.setStatus(code);
        write(false, ByteBuffer.allocate(0));
    }

    /** Sends more of a response opened with {@link #openStream(int)}. */
    void stream(byte[] bytes) throws IOException {
        write(false, ByteBuffer.wrap(bytes));
    }

    /** This connection may stay silent for that long (an event stream between heartbeats) before it is closed. */
    void allowSilenceOf(Duration idle) {
        request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(idle.toMillis());
    }

    /**
     * A route may answer before it has read the request body (401 before a webhook's body is read, 405, 404). The
     * connection can only carry the client's next request once the rest of that body is read, and a client that kept
     * it alive sends the next request as soon as its body is out: if the server then closed the connection silently,
     * that request would find it closed ("no bytes received"), and a client still sending its body when the
     * connection closes may lose the answer itself. So a declared body of at most {@link #DISCARD_LIMIT} bytes is
     * read and discarded after the answer ({@link #discardUnreadBody(Callback)}); a larger one, or one of unknown length that
     * has not wholly arrived yet, makes this answer say {@code Connection: close}.
     */
    private void closeUnlessBodyConsumed() {
        if (closing() || bodyRead) {
            return;
        }
        long declared = request.getLength();
        if (declared == 0) {
            return;
        }
        if (declared > 0 && declared <= DISCARD_LIMIT) {
            discardAfterAnswer = true;
        } else if (!request.consumeAvailable()) { // also makes Jetty close the connection after this answer
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
    }

    private boolean closing() {
        return response.getHeaders().contains(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }

    /**
     * Once the route is done: reads and discards the rest of a body it answered without reading, then completes
     * {@code done}, so the connection stays usable. No thread waits meanwhile (an unauthenticated caller must not hold
     * one), and the answer is already sent. A rest that has not arrived within the body timeout fails the request and
     * the server closes the connection.
     */
    void discardUnreadBody(Callback done) {
        if (!discardAfterAnswer) {
            done.succeeded();
            return;
        }
        Scheduler.Task deadline = request.getComponents()
                .getScheduler()
                .schedule(() -> request.fail(new SlowBody(bodyTimeout)), bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        Content.Source.consumeAll(
                request,
                Callback.from(
                        () -> {
                            deadline.cancel();
                            done.succeeded();
                        },
                        failure -> {
                            deadline.cancel();
                            done.failed(failure);
                        }));
    }

    private void write(boolean last, ByteBuffer bytes) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(last, bytes, written);
            written.block();
        }
    }
}
