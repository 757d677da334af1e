package dev.lockstep.config;

/**
 * What an app's git history must satisfy before Lockstep applies a new head.
 *
 * @param allowHistoryRewrite accept a head that does not descend from the last applied commit (a force-push)
 */
public record TrustSpec(VerifySpec verify, boolean allowHistoryRewrite) {
    public static final TrustSpec DEFAULT = new TrustSpec(VerifySpec.OFF, false);
}
