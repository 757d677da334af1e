package dev.lockstep.config;

/** Which commits must carry a signature by a trusted key before Lockstep applies them. */
public enum VerifyMode {
    /** No signature check (the default). */
    OFF,
    /** The new head commit must be signed by a trusted key. */
    HEAD,
    /** Every commit between the last applied commit and the new head must be signed by a trusted key. */
    STRICT
}
