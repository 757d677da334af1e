package dev.lockstep.rollout;

/** Where a rollout stands, like {@code kubectl rollout status}. */
public enum RolloutState {
    PROGRESSING,
    HEALTHY,
    FAILED;

    public String display() {
        return switch (this) {
            case PROGRESSING -> "Progressing";
            case HEALTHY -> "Healthy";
            case FAILED -> "Failed";
        };
    }
}
