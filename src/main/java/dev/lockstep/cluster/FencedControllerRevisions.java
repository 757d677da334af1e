package dev.lockstep.cluster;

import dev.lockstep.model.ControllerRevisionInfo;
import java.util.List;
import java.util.Map;

/** {@link ControllerRevisions} whose writes (annotations, a forced rollback's pod deletions) pass a fence first. */
final class FencedControllerRevisions implements ControllerRevisions {
    private final ControllerRevisions delegate;
    private final WriteFence fence;

    FencedControllerRevisions(ControllerRevisions delegate, WriteFence fence) {
        this.delegate = delegate;
        this.fence = fence;
    }

    @Override
    public List<ControllerRevisionInfo> ownedBy(
            String namespace, String ownerKind, String ownerName, Map<String, String> selector) {
        return delegate.ownedBy(namespace, ownerKind, ownerName, selector);
    }

    @Override
    public void annotate(String namespace, String name, Map<String, String> annotations) {
        fence.check("annotation of ControllerRevision " + namespace + "/" + name);
        delegate.annotate(namespace, name, annotations);
    }

    @Override
    public List<String> deleteUnreadyPodsNotAt(String namespace, Map<String, String> selector, String revision) {
        fence.check("deletion of never-ready pods in " + namespace);
        return delegate.deleteUnreadyPodsNotAt(namespace, selector, revision);
    }
}
