/**
 * The engine: builds one {@code AppReconciler} per app, runs its passes on the loop's schedule while this replica may
 * write, and retries with backoff. It drives the pass and hands what the pass left to reporting.
 */
package dev.lockstep.reconcile.engine;
