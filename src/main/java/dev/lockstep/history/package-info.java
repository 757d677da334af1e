/**
 * The read model: what ran when, from which commit, and how it ended, for every workload kind, built from the cluster
 * alone (so it reads the same after the daemon restarts or moves).
 *
 * <ul>
 *   <li>{@link dev.lockstep.history.HistoryQuery} reads through the cluster ports and answers with a
 *       {@link dev.lockstep.history.WorkloadHistory}: a Deployment's, StatefulSet's or DaemonSet's timeline of
 *       {@link dev.lockstep.history.HistoryRevision}s, or a Job's state (it has no revisions);</li>
 *   <li>{@link dev.lockstep.history.ObjectStates} (one read each, for {@code lockstep status}) and
 *       {@link dev.lockstep.history.WatchedStates} (the daemon's watch cache and the rollouts it follows) judge an
 *       app's objects now, each unfollowed one through {@link dev.lockstep.history.JudgedState} (its live object and
 *       the record's result for its commit), as {@link dev.lockstep.history.HistoryQuery} does, so they agree;</li>
 *   <li>{@link dev.lockstep.history.CommitAnnotations} is the write side's half: the annotations that tie a revision
 *       to its commit.</li>
 * </ul>
 *
 * The command line renders these values as text ({@link dev.lockstep.history.HistoryRow},
 * {@link dev.lockstep.history.HistoryTable}), the status page as JSON; neither decides anything.
 */
package dev.lockstep.history;
