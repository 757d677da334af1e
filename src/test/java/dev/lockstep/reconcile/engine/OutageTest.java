package dev.lockstep.reconcile.engine;

import static dev.lockstep.reconcile.engine.PassFixture.CONFIG;
import static dev.lockstep.reconcile.engine.PassFixture.DEPLOYMENT;
import static dev.lockstep.reconcile.engine.PassFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.AppRecord;
import dev.lockstep.model.InventoryEntry;
import dev.lockstep.reconcile.pass.PassOutcome;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pass when the cluster misbehaves part way: leadership lost between two writes, a 409 conflict on one object, a
 * record changed by another replica while this one was not leading. Each ends all or nothing: the commit is recorded
 * only once every object is written, and nothing is pruned before that.
 */
class OutageTest {
    @TempDir
    Path tmp;

    private PassFixture f;

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aPassThatLosesLeadershipAfterItsFirstWriteStopsBeforeItsNextOne() {
        f = new PassFixture(tmp);
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        AtomicInteger writes = new AtomicInteger();
        f.leadership.set(() -> writes.incrementAndGet() <= 1); // the Lease is lost right after the first write

        assertThat(app.reconcile()).isEqualTo(PassOutcome.RETRY);

        assertThat(f.cluster.calls("apply"))
                .as("stage 2 (config) written, then the fence")
                .containsExactly("apply " + CONFIG);
        assertThat(f.cluster.calls("save"))
                .as("no record saved by a replica that no longer leads")
                .isEmpty();
        assertThat(app.status().errors()).anySatisfy(e -> assertThat(e).contains("not the leader"));

        f.leadership.set(() -> true);
        f.cluster.clearCalls();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(f.cluster.calls("apply"))
                .as("the next leader's pass writes the rest; the ConfigMap is unchanged and not sent again")
                .containsExactlyInAnyOrder("apply " + SERVICE, "apply " + DEPLOYMENT);
        assertThat(f.cluster.record("hello").orElseThrow().commit()).isEqualTo(v1);
    }

    @Test
    void a409ConflictOnOneObjectIsRetriedAndNothingIsPrunedOrRecordedMeanwhile() {
        f = new PassFixture(tmp);
        String v1 = f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);

        // v2 drops the ConfigMap and changes the Deployment, whose apply the server refuses with a conflict
        f.repo.delete("app/config.yaml");
        f.repo.write("app/deployment.yaml", dev.lockstep.testing.HelloApp.deployment("hello:v2"));
        String v2 = f.repo.commit("image v2, no ConfigMap");
        f.cluster.failApply(DEPLOYMENT, 409, "Operation cannot be fulfilled: the object has been modified");
        f.cluster.clearCalls();

        assertThat(app.reconcile()).isEqualTo(PassOutcome.RETRY);
        assertThat(f.cluster.calls("delete"))
                .as("nothing pruned while the commit is not fully applied")
                .isEmpty();
        assertThat(f.cluster.keys()).contains(CONFIG);
        assertThat(f.cluster.record("hello").orElseThrow().commit()).isEqualTo(v1);
        assertThat(app.status().errors())
                .anySatisfy(e -> assertThat(e).contains("will retry").contains("the object has been modified"));

        f.cluster.clearFailures();
        f.cluster.clearCalls();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        assertThat(f.cluster.calls("apply")).containsExactly("apply " + DEPLOYMENT);
        assertThat(f.cluster.calls("delete")).containsExactly("delete " + CONFIG);
        assertThat(f.cluster.record("hello").orElseThrow().commit()).isEqualTo(v2);
    }

    @Test
    void leadingAgainAfterAnotherReplicaWroteTheRecordStartsFromTheClustersRecord() {
        f = new PassFixture(tmp);
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        AppRecord mine = f.cluster.record("hello").orElseThrow();

        // another replica, leading meanwhile, dropped the Service from the inventory (it pruned it)
        AppRecord theirs = mine.withInventory(
                mine.inventory().stream().filter(e -> !e.key().equals(SERVICE)).toList());
        f.cluster.save("hello", theirs);
        f.cluster.removeFromCluster(SERVICE);
        app.reloadRecord();
        f.cluster.clearCalls();
        app.reconcile();

        assertThat(f.cluster.calls("load")).as("the record read again").hasSize(1);
        assertThat(f.cluster.record("hello").orElseThrow().inventory())
                .extracting(InventoryEntry::key)
                .as("the other replica's inventory is the base, not this process's memory")
                .contains(DEPLOYMENT, CONFIG);
    }

    @Test
    void leadingAgainWithTheRecordUnchangedKeepsTheWarmStateAndWritesNothing() {
        f = new PassFixture(tmp);
        f.commitApp("hello:v1", "hello-app v1");
        AppReconciler app = f.reconciler();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.APPLIED);
        f.cluster.clearCalls();

        app.reloadRecord();
        assertThat(app.reconcile()).isEqualTo(PassOutcome.UNCHANGED);

        assertThat(f.cluster.calls())
                .as("one read of the record, then a pass from the warm state: no dry run, no write")
                .containsExactly("load hello");
    }
}
