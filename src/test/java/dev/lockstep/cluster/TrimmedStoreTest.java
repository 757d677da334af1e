package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimmedStoreTest {
    private static GenericKubernetesResource object(String... managers) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("v1");
        r.setKind("ConfigMap");
        var meta = new ObjectMetaBuilder()
                .withNamespace("shop")
                .withName("cfg")
                .withAnnotations(new java.util.HashMap<>(Map.of(TrimmedStore.LAST_APPLIED, "{...}", "team", "a")));
        for (String m : managers) {
            meta.addToManagedFields(
                    new ManagedFieldsEntryBuilder().withManager(m).build());
        }
        r.setMetadata(meta.build());
        return r;
    }

    @Test
    void dropsManagedFieldsAndLastAppliedWhenOnlyLockstepAndTheControllerManagerHoldFields() {
        TrimmedStore store = new TrimmedStore("lockstep");
        store.put("shop/cfg", object("lockstep", "kube-controller-manager"));

        GenericKubernetesResource kept = store.get("shop/cfg");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations()).containsOnlyKeys("team");
    }

    @Test
    void keepsEverythingWhenAnotherManagerHoldsFieldsForAdoptionAndDrift() {
        TrimmedStore store = new TrimmedStore("lockstep");
        store.put("shop/cfg", object("lockstep", "kubectl-client-side-apply"));

        GenericKubernetesResource kept = store.get("shop/cfg");
        assertThat(kept.getMetadata().getManagedFields())
                .extracting(e -> e.getManager())
                .containsExactly("lockstep", "kubectl-client-side-apply");
        assertThat(kept.getMetadata().getAnnotations()).containsKey(TrimmedStore.LAST_APPLIED);
    }
}
