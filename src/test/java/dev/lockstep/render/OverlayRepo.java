package dev.lockstep.render;

import dev.lockstep.testing.GitRepoFixture;

/**
 * The overlay of the kustomize story: a base Deployment and Service under {@code deploy/base}, and
 * {@code deploy/overlays/production} with a configMapGenerator (hash-suffixed name), an {@code images:} tag, a
 * strategic-merge patch and a namePrefix.
 */
public final class OverlayRepo {
    public static final String OVERLAY = "deploy/overlays/production";

    private OverlayRepo() {}

    /** Writes the base and the overlay at image tag {@code tag} and greeting {@code greeting}; commits nothing. */
    public static GitRepoFixture write(GitRepoFixture repo, String tag, String greeting) {
        return repo.write("deploy/base/kustomization.yaml", """
                        apiVersion: kustomize.config.k8s.io/v1beta1
                        kind: Kustomization
                        resources:
                          - deployment.yaml
                          - service.yaml
                        """)
                .write("deploy/base/deployment.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: web
                        spec:
                          replicas: 1
                          selector:
                            matchLabels: {app: web}
                          template:
                            metadata:
                              labels: {app: web}
                            spec:
                              containers:
                                - name: web
                                  image: registry.example.com/web:base
                                  envFrom:
                                    - configMapRef: {name: web-config}
                        """)
                .write("deploy/base/service.yaml", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                        spec:
                          selector: {app: web}
                          ports:
                            - port: 80
                        """)
                .write(OVERLAY + "/kustomization.yaml", """
                        apiVersion: kustomize.config.k8s.io/v1beta1
                        kind: Kustomization
                        namePrefix: prod-
                        resources:
                          - ../../base
                        images:
                          - name: registry.example.com/web
                            newTag: "%s"
                        configMapGenerator:
                          - name: web-config
                            literals:
                              - GREETING=%s
                        patches:
                          - path: replicas.yaml
                        """.formatted(tag, greeting))
                .write(OVERLAY + "/replicas.yaml", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata:
                          name: web
                        spec:
                          replicas: 2
                        """);
    }
}
