package dev.lockstep.cluster;

import dev.lockstep.model.MetadataKeys;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One core/v1 Event Lockstep wants to post: the object it is about, why, and what happened. Messages hold commit
 * ids, subjects, revisions and field paths only, never object data (Secret values cannot reach an event).
 *
 * @param apiVersion of the involved object, e.g. {@code apps/v1}
 * @param namespace  of the involved object; empty for cluster-scoped objects
 * @param type       {@code Normal} or {@code Warning}
 */
public record KubeEvent(
        String app,
        String apiVersion,
        String kind,
        String namespace,
        String name,
        String reason,
        String type,
        String message) {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    public static final String COMPONENT = MetadataKeys.LOCKSTEP;
    /** The API server keeps longer messages, but kubectl tables do not need them. */
    static final int MAX_MESSAGE = 1024;
    /** Event names are DNS subdomains (at most 253 characters); leave room for the suffix. */
    static final int MAX_NAME_PREFIX = 230;

    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    public KubeEvent {
        namespace = namespace == null ? "" : namespace;
        message = message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    }

    /**
     * The namespace the Event lives in: the object's own, or {@code default} for a cluster-scoped object, which is
     * the only namespace the API server accepts for those (besides none) and where kubectl looks for them.
     */
    public String eventNamespace() {
        return namespace.isEmpty() ? "default" : namespace;
    }

    /**
     * The fabric8 Event, named {@code <object>.<hex>} like client-go does; {@code unique} is a per-recorder counter
     * so two events in the same nanosecond still get different names.
     */
    public Event toEvent(Instant now, long unique) {
        String prefix = name.length() <= MAX_NAME_PREFIX ? name : name.substring(0, MAX_NAME_PREFIX);
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String eventName = "%s.%x%06x".formatted(prefix, nanos, unique & 0xffffff);
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectReference involved = new ObjectReferenceBuilder()
                .withApiVersion(apiVersion)
                .withKind(kind)
                .withNamespace(namespace.isEmpty() ? null : namespace)
                .withName(name)
                .build();
        return new EventBuilder()
                .withNewMetadata()
                .withName(eventName)
                .withNamespace(eventNamespace())
                .withLabels(labels())
                .endMetadata()
                .withInvolvedObject(involved)
                .withReason(reason)
                .withType(type)
                .withMessage(message)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withCount(1)
                .build();
    }

    /** {@code kubectl get events -l lockstep.dev/app=hello}; an app name that is no valid label value is left out. */
    private Map<String, String> labels() {
        return LABEL_VALUE.matcher(app).matches()
                ? Map.of(MetadataKeys.APP, app, MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE)
                : Map.of(MetadataKeys.MANAGED_BY, MetadataKeys.MANAGED_BY_VALUE);
    }
}
