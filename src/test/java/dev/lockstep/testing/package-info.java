/**
 * The integration-test bed: a real Kubernetes API server per test run, a namespace per test.
 *
 * <pre>{@code
 * @RealCluster
 * class MyIT {
 *     @Test
 *     void rollsOut(TestCluster cluster) {
 *         cluster.keepImagesUnready(".*:v3");                 // optional, before creating pods
 *         cluster.client().resource(deployment).fieldManager("lockstep-test").forceConflicts().serverSideApply();
 *         Deployment d = RolloutWaits.awaitRolloutComplete(cluster.client(), cluster.namespace(), "hello-app");
 *         assertThat(d.getMetadata().getAnnotations()).containsEntry(DeploymentReport.REVISION, "1");
 *     }
 * }
 * }</pre>
 *
 * <p>Backend, chosen once per run ({@link dev.lockstep.testing.BackendChoice}):
 * <ol>
 *   <li>{@code LOCKSTEP_TEST_KUBECONFIG=PATH}: that cluster, plus a simulated node unless
 *       {@code LOCKSTEP_TEST_SIM_NODE=false} (set it on clusters with a scheduler and real nodes);</li>
 *   <li>Docker available: Testcontainers k3s ({@code LOCKSTEP_TEST_K3S_IMAGE} overrides the image); real node, real
 *       image pulls;</li>
 *   <li>otherwise: {@code scripts/local-cluster.sh start lockstep-test-<pid>} (state and logs under
 *       {@code target/local-clusters/}), stopped at the end of the run, plus the simulated node.</li>
 * </ol>
 * {@code LOCKSTEP_TEST_BACKEND=existing|k3s|local} forces one.
 *
 * <p>Un-ready images: on the simulated node every pod becomes Ready ~100 ms after it is bound, except pods whose
 * namespace carries the annotation {@code lockstep.dev/sim-unready-images: <regex>} and whose image matches that
 * regex as a whole ({@link dev.lockstep.testing.TestCluster#keepImagesUnready(String)} sets it). Such pods are
 * Running but never Ready, so a rollout to them ends in ProgressDeadlineExceeded. On k3s images are real: only an
 * image that cannot be pulled or never passes its probe stays un-ready.
 *
 * <p>A failing test logs its namespace's Deployments, ReplicaSets, pods and events; leftover namespaces carry the
 * label {@code lockstep.dev/test=true}.
 */
package dev.lockstep.testing;
