package dev.lockstep.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** One endpoint. {@code rest} is the path after the route's prefix: empty, or {@code /something}. */
interface Route {
    void handle(HttpExchange exchange, String rest) throws IOException;
}
