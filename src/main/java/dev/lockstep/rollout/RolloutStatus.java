package dev.lockstep.rollout;

/** A Deployment's rollout state, a kubectl-style message, and the revision the Deployment is at. */
public record RolloutStatus(RolloutState state, String message, long revision) {}
