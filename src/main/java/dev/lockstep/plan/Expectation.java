package dev.lockstep.plan;

import dev.lockstep.model.SecretMask;
import java.util.Map;

/**
 * What an object looked like right after Lockstep applied it, as far as git speaks about it: the body sent and the
 * projection of the server's answer onto that body's fields. Drift is the live object's projection moving away.
 */
public record Expectation(String apiVersion, Map<String, Object> body, Object projection) {
    /** @param serverView the object as the server returned or predicted it after applying {@code body} */
    public static Expectation of(String apiVersion, Map<String, Object> body, Map<String, Object> serverView) {
        return new Expectation(apiVersion, body, Projection.project(serverView, body));
    }

    /** With Secret values hidden ({@link SecretMask}); a Secret's projection is its values, so it is left out. */
    @Override
    public String toString() {
        boolean secret = SecretMask.isSecret(body);
        return "Expectation[apiVersion=" + apiVersion + ", body=" + SecretMask.masked(body) + ", projection="
                + (secret ? SecretMask.HIDDEN : projection) + "]";
    }
}
