package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.plan.Fingerprint;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordPackingTest {
    @Test
    void tenThousandFingerprintsPackFarBelowTheOneMebibyteObjectLimitAndReadBackTheSame() {
        Map<ResourceKey, String> fingerprints = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> body = Map.of("metadata", Map.of("name", "web-" + i));
            fingerprints.put(
                    ResourceKey.of("apps/v1", "Deployment", "bench-" + (i % 100), "web-" + i),
                    Fingerprint.of(body, body));
        }
        String packed = RecordPacking.pack(RecordPacking.fingerprintLines(fingerprints));

        assertThat(packed.length()).as("base64 bytes in binaryData").isLessThan(400 * 1024);
        assertThat(RecordPacking.parseFingerprints(RecordPacking.unpack(packed)))
                .isEqualTo(fingerprints);
        assertThat(RecordPacking.pack(RecordPacking.fingerprintLines(new HashMap<>(fingerprints))))
                .as("the same record packs to the same bytes, so it is not saved again")
                .isEqualTo(packed);
    }

    @Test
    void clusterScopedKeysAndCoreGroupSurviveTheLineFormat() {
        Map<ResourceKey, String> fingerprints = Map.of(
                ResourceKey.of("v1", "Namespace", "", "shop"), "abc",
                ResourceKey.of("v1", "ConfigMap", "shop", "cfg"), "def");
        assertThat(RecordPacking.parseFingerprints(RecordPacking.fingerprintLines(fingerprints)))
                .isEqualTo(fingerprints);
    }
}
