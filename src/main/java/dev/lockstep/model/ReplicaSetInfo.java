package dev.lockstep.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** One ReplicaSet of a Deployment: its revision, annotations and pod template (without pod-template-hash). */
public record ReplicaSetInfo(
        String name,
        String uid,
        long revision,
        Map<String, String> annotations,
        Map<String, Object> template,
        Instant created,
        int replicas) {

    /** Earlier revision numbers this ReplicaSet held before the controller reused it. */
    public List<Long> revisionHistory() {
        String history = annotations.get(MetadataKeys.DEPLOYMENT_REVISION_HISTORY);
        if (history == null || history.isBlank()) {
            return List.of();
        }
        return Arrays.stream(history.split(","))
                .map(String::trim)
                .filter(s -> s.matches("\\d+"))
                .map(Long::parseLong)
                .toList();
    }
}
