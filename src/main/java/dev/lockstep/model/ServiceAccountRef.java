package dev.lockstep.model;

import java.util.Objects;

/** A ServiceAccount an app's writes are made as, so Kubernetes RBAC itself confines what its manifests can touch. */
public record ServiceAccountRef(String namespace, String name) {
    public ServiceAccountRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** The user name the API server knows it by, and impersonation sends. */
    public String username() {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    @Override
    public String toString() {
        return "ServiceAccount " + namespace + "/" + name;
    }
}
