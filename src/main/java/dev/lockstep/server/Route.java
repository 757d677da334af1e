package dev.lockstep.server;

import java.io.IOException;

/** One endpoint. {@code rest} is the path after the route's prefix: empty, or {@code /something}. */
interface Route {
    void handle(Exchange exchange, String rest) throws IOException;
}
