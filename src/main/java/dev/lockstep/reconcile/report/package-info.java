/**
 * Reporting: where what a pass did reaches users once it has ended, through the listeners (metrics, Kubernetes Events,
 * the console, logs), and the app's status as users see it.
 */
package dev.lockstep.reconcile.report;
