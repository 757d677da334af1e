package dev.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.pass.AppHealth;
import java.time.Duration;

/** Waits on what {@code lockstep status} shows for an app; on timeout the error shows the status and the namespace. */
public final class AppWaits {
    private AppWaits() {}

    /** Until the app is at {@code commit} and Healthy. */
    public static void awaitHealthyAt(AppReconciler app, String commit, TestCluster cluster, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(app.status().commit()).isEqualTo(commit);
            assertThat(app.status().health())
                    .as(app.status() + "\n" + cluster.describeNamespace())
                    .isEqualTo(AppHealth.HEALTHY);
        });
    }
}
