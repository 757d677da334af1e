package dev.lockstep.plan;

import dev.lockstep.model.Manifest;
import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.SecretMask;
import dev.lockstep.model.TemplateChange;
import dev.lockstep.util.Tree;
import java.util.Map;
import java.util.Optional;

/**
 * What one desired object needs.
 *
 * @param body      exactly what will be sent with server-side apply
 * @param predicted the server's dry-run answer (empty when the object's namespace or CRD is created by the same revision)
 * @param live      the object as the cache saw it before this pass (empty when it does not exist)
 * @param rollout   for Deployments whose pod template changes: what the change means for the revision history
 * @param adopting  fields other managers hold that Lockstep takes over before the apply ({@link FieldAdoption})
 */
public record Change(
        Manifest manifest,
        Action action,
        Map<String, Object> body,
        Optional<Map<String, Object>> predicted,
        Optional<Map<String, Object>> live,
        Optional<TemplateChange> rollout,
        Optional<FieldAdoption.Adopting> adopting) {

    /** A change that takes over no field. */
    public Change(
            Manifest manifest,
            Action action,
            Map<String, Object> body,
            Optional<Map<String, Object>> predicted,
            Optional<Map<String, Object>> live,
            Optional<TemplateChange> rollout) {
        this(manifest, action, body, predicted, live, rollout, Optional.empty());
    }

    public ResourceKey key() {
        return manifest.key();
    }

    public String apiVersion() {
        return manifest.apiVersion();
    }

    public Stage stage() {
        return Stage.of(manifest);
    }

    /**
     * A Helm hook with {@code before-hook-creation} that exists already: the applier deletes it and creates it anew
     * (docs/helm.md).
     */
    public boolean recreates() {
        return live.isPresent() && action == Action.UPDATE && HookRecreation.applies(manifest);
    }

    public boolean writes() {
        return action != Action.UNCHANGED;
    }

    /** With Secret values hidden ({@link SecretMask}): a change that reaches a log line carries no value. */
    @Override
    public String toString() {
        return "Change[manifest=" + manifest + ", action=" + action + ", body=" + SecretMask.masked(body)
                + ", predicted=" + predicted.map(SecretMask::masked) + ", live=" + live.map(SecretMask::masked)
                + ", rollout=" + rollout + ", adopting=" + adopting + "]";
    }

    /**
     * Whether the write must only create: neither the watch cache nor the server's dry run saw the object (a dry run
     * of an existing one answers with its resourceVersion; one made by kubectl, without Lockstep's labels, is outside
     * the cache yet is adopted by an ordinary apply). Two apps that both plan to create one object then cannot both
     * write it: the second create fails, and the next pass judges who owns it. Without a dry run (its namespace or
     * its CRD comes with the same commit) existence is unknown, so the ordinary apply stays; a namespace or CRD both
     * apps create is itself create-only, and an apply stops at the first stage that fails.
     */
    public boolean createsNew() {
        return action == Action.CREATE
                && live.isEmpty()
                && adopting.isEmpty()
                && predicted
                        .map(p -> Tree.string(p, "metadata", "resourceVersion")
                                .filter(rv -> !rv.isEmpty())
                                .isEmpty())
                        .orElse(false);
    }
}
