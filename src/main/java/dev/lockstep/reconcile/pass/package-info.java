/**
 * One pass: an ordered list of steps over an immutable {@code Pass}, each returning a typed {@code StepResult}, and the
 * settlement that turns the last result into the app's next state and outcome. Steps only record facts; they report
 * nothing.
 */
package dev.lockstep.reconcile.pass;
