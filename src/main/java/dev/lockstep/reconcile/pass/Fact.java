package dev.lockstep.reconcile.pass;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.Revision;
import dev.lockstep.writeback.Decision;
import java.util.List;

/** Something a step did or saw that users hear about (metrics, Events, logs); reported once, after the pass. */
public sealed interface Fact {
    record ObjectApplied(ResourceKey key, String apiVersion, Revision commit, boolean created) implements Fact {}

    record ObjectPruned(ResourceKey key, String apiVersion) implements Fact {}

    record PruneRefused(String reason) implements Fact {}

    /** Objects an earlier refusal holds stay until a person confirms; said on every pass that applies a commit. */
    record PruneHeld(String message) implements Fact {}

    record Drifted(ResourceKey key, String field, boolean corrected) implements Fact {}

    /**
     * An object of this app whose owner label names another app: left alone, and the app shows the conflict for as
     * long as it lasts.
     *
     * @param reported whether an earlier pass already reported this conflict (it is logged once)
     */
    record OwnershipConflict(ResourceKey key, String owner, String reason, boolean reported) implements Fact {}

    record GitFailed(String message) implements Fact {}

    /**
     * A commit refused by a trust check: a signature that does not verify, or a history rewrite.
     *
     * @param check  {@link #SIGNATURE} or {@link #HISTORY}
     * @param commit the commit that failed (full id)
     */
    record CommitRefused(String check, String commit, String reason) implements Fact {
        static final String SIGNATURE = "signature";
        static final String HISTORY = "history";
    }

    /** The API server forbade writing part of a commit, so none of it was written (the reasons name who and what). */
    record WriteForbidden(Revision commit, List<String> reasons) implements Fact {}

    /** Lockstep decided about writing to git: pushed a commit, or why not. */
    record WroteBack(Decision decision) implements Fact {}

    /**
     * A commit's path was rendered by an engine (not plain files).
     *
     * @param engine {@code kustomize v5.5.0}
     * @param took   how long the engine ran; zero when an earlier render of the same inputs was reused
     */
    record Rendered(Revision commit, String engine, java.time.Duration took, boolean cached) implements Fact {}

    /** @param unchanged objects of the commit that needed no write */
    record CommitApplied(Revision commit, long written, long unchanged, int pruned) implements Fact {}
}
