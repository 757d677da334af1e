package dev.lockstep.manifest;

import dev.lockstep.model.Manifest;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Manifests and errors from parsing or validating a revision.
 *
 * <p>{@link #ok()} is the gate: a revision is all-or-nothing, so when there is any error callers must use none
 * of the manifests (not apply them, and certainly not prune what is "missing" from them). The manifests that
 * did load are still listed, for diagnostics only. {@link #requireOk()} enforces the gate.
 *
 * <p>{@code warnings} never stop a revision: files deliberately left out (not in a kustomization's resources: list).
 */
public record ParseResult(List<Manifest> manifests, List<ManifestError> errors, List<ManifestError> warnings) {

    public ParseResult {
        manifests = List.copyOf(manifests);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public ParseResult(List<Manifest> manifests, List<ManifestError> errors) {
        this(manifests, errors, List.of());
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** The manifests, or an exception naming every error (as {@code file:line: message}) if there is any. */
    public List<Manifest> requireOk() {
        if (!ok()) {
            throw new IllegalStateException(errors.size() + " manifest error(s):\n"
                    + errors.stream().map(ManifestError::toString).collect(Collectors.joining("\n")));
        }
        return manifests;
    }
}
