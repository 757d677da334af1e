package dev.lockstep.plan;

public enum Action {
    CREATE,
    UPDATE,
    UNCHANGED
}
