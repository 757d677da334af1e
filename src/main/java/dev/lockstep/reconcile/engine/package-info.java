/**
 * The engine: builds one {@code AppReconciler} per app, runs its passes on the loop's schedule while this replica may
 * write, and retries with backoff. It runs each pass through {@code PassSteps.run} (the pass package's one entry point)
 * and hands the {@code PassResult} to reporting.
 */
package dev.lockstep.reconcile.engine;
