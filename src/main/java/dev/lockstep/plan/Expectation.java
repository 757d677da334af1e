package dev.lockstep.plan;

import dev.lockstep.model.SecretMask;
import dev.lockstep.util.PackedTree;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an object looked like right after Lockstep applied it, as far as git speaks about it: the body sent and the
 * projection of the server's answer onto that body's fields. Drift is the live object's projection moving away.
 *
 * <p>An app holds one per object for as long as the daemon runs, but reads it only when the object's live version
 * moved or a new commit came: so body and projection are kept packed together ({@link PackedTree}, the projection's
 * strings pointing back at the body's), and each read unpacks a fresh copy. A tree that cannot be packed (a value
 * that is no JSON scalar) is kept as it is.
 */
public final class Expectation {
    private final String apiVersion;
    /** {@code [body, projection]} packed, or null when kept as trees. */
    private final byte[] packed;

    private final Map<String, Object> body;
    private final Object projection;

    public Expectation(String apiVersion, Map<String, Object> body, Object projection) {
        this.apiVersion = apiVersion.intern(); // a handful of values, one per object
        byte[] bytes;
        try {
            bytes = PackedTree.pack(Arrays.asList(body, projection));
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        this.packed = bytes;
        this.body = bytes == null ? body : null;
        this.projection = bytes == null ? projection : null;
    }

    /** @param serverView the object as the server returned or predicted it after applying {@code body} */
    public static Expectation of(String apiVersion, Map<String, Object> body, Map<String, Object> serverView) {
        return new Expectation(apiVersion, body, Projection.project(serverView, body));
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** The body applied; a copy of its own on each call. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> body() {
        return packed == null ? body : (Map<String, Object>) trees().get(0);
    }

    /** The server's answer projected onto the body's fields; a copy of its own on each call. */
    public Object projection() {
        return packed == null ? projection : trees().get(1);
    }

    private List<?> trees() {
        return (List<?>) PackedTree.unpack(packed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Expectation other
                && apiVersion.equals(other.apiVersion)
                && Objects.equals(body(), other.body())
                && Objects.equals(projection(), other.projection());
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiVersion, body(), projection());
    }

    /** With Secret values hidden ({@link SecretMask}); a Secret's projection is its values, so it is left out. */
    @Override
    public String toString() {
        Map<String, Object> shown = body();
        boolean secret = SecretMask.isSecret(shown);
        return "Expectation[apiVersion=" + apiVersion + ", body=" + SecretMask.masked(shown) + ", projection="
                + (secret ? SecretMask.HIDDEN : projection()) + "]";
    }
}
