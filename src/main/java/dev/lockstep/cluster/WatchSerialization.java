package dev.lockstep.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The watch client's serialization: every {@link GenericKubernetesResource} it reads (each item of a list, each watch
 * event's object, bookmarks included) is read as plain maps into a {@link PlainResource}, which {@link TrimmedStore}
 * packs as it is. fabric8's informer (list, watch, bookmarks, relist) runs unchanged on top: it reads only an object's
 * kind, name, namespace and resourceVersion.
 *
 * <p>fabric8 reads a watch event's object as the typed class of its kind (a {@code Deployment}, through a tree) and
 * then converts it to the informer's type: so a watch event is read here straight as its type and a plain object, and
 * only an {@code ERROR} event (a {@code Status}) goes fabric8's way.
 */
final class WatchSerialization extends KubernetesSerialization {
    private final JsonMapper events;

    /** One event of a watch, as the API server sends it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Event(String type, GenericKubernetesResource object) {}

    private WatchSerialization(JsonMapper plain) {
        super(plain, true);
        this.events = plain;
    }

    static WatchSerialization create() {
        SimpleModule module = new SimpleModule("lockstep-plain-resources")
                .addDeserializer(GenericKubernetesResource.class, new PlainResourceDeserializer());
        return new WatchSerialization(JsonMapper.builder().addModule(module).build());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unmarshal(String str, Class<T> type) {
        if (type == WatchEvent.class) {
            Event event = events.readValue(str, Event.class);
            if (event.type() != null && !event.type().equals("ERROR") && event.object() != null) {
                return (T) new WatchEvent(event.object(), event.type());
            }
        }
        return super.unmarshal(str, type);
    }
}
