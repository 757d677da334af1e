package dev.lockstep.cluster;

import dev.lockstep.model.ResourceKey;
import dev.lockstep.model.ServiceAccountRef;
import java.util.List;
import java.util.Map;

/** {@link ObjectApi} whose writes pass a {@link WriteFence} first; dry runs write nothing and always go through. */
final class FencedObjectApi implements ObjectApi {
    private final ObjectApi delegate;
    private final WriteFence fence;

    FencedObjectApi(ObjectApi delegate, WriteFence fence) {
        this.delegate = delegate;
        this.fence = fence;
    }

    @Override
    public Map<String, Object> dryRunApply(ResourceKey key, Map<String, Object> body) {
        return delegate.dryRunApply(key, body);
    }

    @Override
    public Map<String, Object> apply(ResourceKey key, Map<String, Object> body) {
        fence.check("apply", key);
        return delegate.apply(key, body);
    }

    @Override
    public Map<String, Object> create(ResourceKey key, Map<String, Object> body) {
        fence.check("create", key);
        return delegate.create(key, body);
    }

    @Override
    public boolean delete(ResourceKey key, String apiVersion) {
        fence.check("delete", key);
        return delegate.delete(key, apiVersion);
    }

    @Override
    public ObjectApi as(ServiceAccountRef account) {
        return new FencedObjectApi(delegate.as(account), fence);
    }

    @Override
    public String fieldManager() {
        return delegate.fieldManager();
    }

    @Override
    public void replaceManagedFields(
            ResourceKey key, String apiVersion, String resourceVersion, List<Map<String, Object>> fields) {
        fence.check("field takeover of", key);
        delegate.replaceManagedFields(key, apiVersion, resourceVersion, fields);
    }

    @Override
    public Map<String, Object> dryRunReplace(ResourceKey key, String apiVersion, Map<String, Object> body) {
        return delegate.dryRunReplace(key, apiVersion, body);
    }
}
