package dev.lockstep.reconcile.pass;

/** An app's overall state, worst of its parts. */
public enum AppHealth {
    UNKNOWN,
    HEALTHY,
    PROGRESSING,
    FAILED,
    STALLED,
    ERROR;

    public String display() {
        String n = name();
        return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
