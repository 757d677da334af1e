/**
 * One pass: an ordered list of steps over an immutable {@code Pass}, each returning a typed {@code StepResult}, and the
 * settlement that turns the last result into the app's next state and outcome. Steps only record facts; they report
 * nothing.
 *
 * <p>The one way in is {@link dev.lockstep.reconcile.pass.PassSteps}: {@code run} runs a pass and returns a
 * {@link dev.lockstep.reconcile.pass.PassResult} (the settled state and outcome, and the facts to report);
 * {@code preview} plans without writing. The steps, {@code Pass}, {@code StepResult}, the runner and the settlement are
 * package-private; what stays public are the values the engine, the report and the read model hold (the app's state
 * and status, facts, problems, outcomes).
 */
package dev.lockstep.reconcile.pass;
