package dev.lockstep.testing;

import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Which backend a test run uses, decided once from the environment:
 * {@code LOCKSTEP_TEST_KUBECONFIG} (an existing cluster) wins, then Docker (Testcontainers k3s), then the local
 * control plane built by scripts/local-cluster.sh. {@code LOCKSTEP_TEST_BACKEND=existing|k3s|local} forces one.
 */
record BackendChoice(Kind kind, String reason) {

    static final String KUBECONFIG_ENV = "LOCKSTEP_TEST_KUBECONFIG";
    static final String SIM_NODE_ENV = "LOCKSTEP_TEST_SIM_NODE";
    static final String BACKEND_ENV = "LOCKSTEP_TEST_BACKEND";

    enum Kind {
        EXISTING,
        K3S,
        LOCAL
    }

    /** @param dockerAvailable asked only when needed: probing Docker can take seconds where it is absent */
    static BackendChoice choose(Map<String, String> env, BooleanSupplier dockerAvailable) {
        String forced = env.getOrDefault(BACKEND_ENV, "").trim().toLowerCase(Locale.ROOT);
        String kubeconfig = env.getOrDefault(KUBECONFIG_ENV, "").trim();
        switch (forced) {
            case "" -> {}
            case "existing" -> {
                if (kubeconfig.isEmpty()) {
                    throw new IllegalStateException(BACKEND_ENV + "=existing needs " + KUBECONFIG_ENV);
                }
                return new BackendChoice(Kind.EXISTING, BACKEND_ENV + "=existing");
            }
            case "k3s" -> {
                return new BackendChoice(Kind.K3S, BACKEND_ENV + "=k3s");
            }
            case "local" -> {
                return new BackendChoice(Kind.LOCAL, BACKEND_ENV + "=local");
            }
            default ->
                throw new IllegalStateException(BACKEND_ENV + " must be existing, k3s or local, not '" + forced + "'");
        }
        if (!kubeconfig.isEmpty()) {
            return new BackendChoice(Kind.EXISTING, KUBECONFIG_ENV + " is set");
        }
        if (dockerAvailable.getAsBoolean()) {
            return new BackendChoice(Kind.K3S, "Docker is available");
        }
        return new BackendChoice(Kind.LOCAL, "no " + KUBECONFIG_ENV + " and no Docker");
    }

    /** On an existing cluster the simulated node runs unless {@code LOCKSTEP_TEST_SIM_NODE=false}. */
    static boolean simNodeWanted(Map<String, String> env) {
        return !"false".equalsIgnoreCase(env.getOrDefault(SIM_NODE_ENV, "").trim());
    }
}
