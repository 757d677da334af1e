package dev.lockstep.testbed;

import java.util.concurrent.atomic.AtomicInteger;

/** Hands out distinct pod IPs from 10.244.0.0/16 (wraps after ~65k pods; the test bed never gets near). */
final class PodIpAllocator {

    private final AtomicInteger next = new AtomicInteger();

    String next() {
        int n = Math.floorMod(next.getAndIncrement(), 254 * 256);
        return "10.244." + (n / 254) + "." + (n % 254 + 1);
    }
}
