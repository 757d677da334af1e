package dev.lockstep.stray;

/** Test fixture only: a class in a package no layer lists, which {@code ArchitectureTest} must refuse. */
public final class StrayClass {
    private StrayClass() {}
}
