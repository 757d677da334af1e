package dev.lockstep.plan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Test fixture only: a plan class that makes its own meter, outside the metrics package Micrometer is fenced to. */
public final class LibraryOutsideItsFence {
    private LibraryOutsideItsFence() {}

    public static Counter planned(MeterRegistry registry) {
        return registry.counter("lockstep_planned");
    }
}
