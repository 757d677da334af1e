package dev.lockstep.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads each object of the watch client's lists and watch events as plain maps, in one Jackson pass as for any untyped
 * JSON, into a {@link PlainResource}. fabric8's typed model ({@code ObjectMeta}, {@code ManagedFieldsEntry}) and the
 * second pass that turned it back into maps for packing were a fifth to a third of a restarted daemon's first pass
 * (issue 25).
 */
final class PlainResourceDeserializer extends ValueDeserializer<GenericKubernetesResource> {
    @Override
    @SuppressWarnings("unchecked")
    public GenericKubernetesResource deserialize(JsonParser p, DeserializationContext ctxt) {
        return new PlainResource(ctxt.readValue(p, Map.class));
    }
}
