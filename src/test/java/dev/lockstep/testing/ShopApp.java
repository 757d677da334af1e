package dev.lockstep.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shop of up to 12 services, written the way real applications write their manifests (in the spirit of Online
 * Boutique, our own text): per service a ServiceAccount, a Deployment and a Service; the Deployment has an init
 * container, two containers, readiness and liveness probes, pod and container securityContext, requests and limits,
 * env from the downward API, a ConfigMap and a Secret, and volumes. The storefront also gets a LoadBalancer Service.
 * tcpSocket probes rather than grpc ones: the 1.20 test API server refuses grpc probes (Kubernetes 1.24+).
 */
public final class ShopApp {
    /** The services in order; a shop of n services takes the first n. The last (redis-cart) never changes its image. */
    public static final List<String> SERVICES = List.of(
            "storefront",
            "cart",
            "catalog",
            "currency",
            "payment",
            "shipping",
            "mailer",
            "checkout",
            "recommender",
            "adverts",
            "loadgen",
            "redis-cart");

    private static final String PINNED = "redis-cart";

    private ShopApp() {}

    /** The services whose image a release bumps: all but redis-cart. */
    public static List<String> released(int count) {
        return SERVICES.subList(0, count).stream()
                .filter(s -> !s.equals(PINNED))
                .toList();
    }

    /** path → manifest under {@code dir}: one file per service plus the shared settings. */
    public static Map<String, String> files(String dir, int count, String tag) {
        if (count < 1 || count > SERVICES.size()) {
            throw new IllegalArgumentException("a shop has 1 to " + SERVICES.size() + " services, not " + count);
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(dir + "/settings.yaml", settings());
        for (int i = 0; i < count; i++) {
            String name = SERVICES.get(i);
            String image = name.equals(PINNED) ? "redis:7.2-alpine" : "registry.example.com/shop/" + name + ":" + tag;
            String yaml = service(name, image, 7000 + i);
            if (i == 0) {
                yaml += loadBalancer(name);
            }
            out.put(dir + "/" + name + ".yaml", yaml);
        }
        return out;
    }

    static String settings() {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: shop-settings
                  labels: {app.kubernetes.io/part-of: shop}
                data:
                  log-level: info
                  settings.properties: |
                    currency.default=EUR
                    catalog.page-size=24
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: shop-credentials
                  labels: {app.kubernetes.io/part-of: shop}
                type: Opaque
                stringData:
                  api-token: not-a-real-token
                """;
    }

    /** ServiceAccount, Deployment and ClusterIP Service of one shop service. */
    public static String service(String name, String image, int port) {
        return """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: %1$s
                  labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: shop}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: shop}
                spec:
                  replicas: 1
                  revisionHistoryLimit: 5
                  progressDeadlineSeconds: 90
                  selector:
                    matchLabels: {app.kubernetes.io/name: %1$s}
                  template:
                    metadata:
                      labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: shop}
                      annotations:
                        prometheus.io/scrape: "true"
                        prometheus.io/port: "9091"
                    spec:
                      serviceAccountName: %1$s
                      terminationGracePeriodSeconds: 5
                      securityContext:
                        runAsNonRoot: true
                        runAsUser: 1000
                        runAsGroup: 1000
                        fsGroup: 1000
                      initContainers:
                        - name: check-settings
                          image: busybox:1.36
                          command: ["sh", "-c", "test -s /etc/shop/settings.properties"]
                          volumeMounts:
                            - {name: settings, mountPath: /etc/shop, readOnly: true}
                          securityContext:
                            allowPrivilegeEscalation: false
                            readOnlyRootFilesystem: true
                          resources:
                            requests: {cpu: 10m, memory: 16Mi}
                            limits: {cpu: 50m, memory: 32Mi}
                      containers:
                        - name: server
                          image: %2$s
                          ports:
                            - {name: grpc, containerPort: %3$d}
                            - {name: metrics, containerPort: 9090}
                          env:
                            - {name: PORT, value: "%3$d"}
                            - name: POD_NAME
                              valueFrom:
                                fieldRef: {fieldPath: metadata.name}
                            - name: POD_IP
                              valueFrom:
                                fieldRef: {fieldPath: status.podIP}
                            - name: CPU_LIMIT
                              valueFrom:
                                resourceFieldRef: {containerName: server, resource: limits.cpu}
                            - name: LOG_LEVEL
                              valueFrom:
                                configMapKeyRef: {name: shop-settings, key: log-level}
                            - name: API_TOKEN
                              valueFrom:
                                secretKeyRef: {name: shop-credentials, key: api-token}
                          readinessProbe:
                            tcpSocket: {port: %3$d}
                            initialDelaySeconds: 2
                            periodSeconds: 5
                          livenessProbe:
                            tcpSocket: {port: %3$d}
                            initialDelaySeconds: 15
                            periodSeconds: 10
                            failureThreshold: 3
                          resources:
                            requests: {cpu: 100m, memory: 64Mi}
                            limits: {cpu: 200m, memory: 128Mi}
                          securityContext:
                            allowPrivilegeEscalation: false
                            readOnlyRootFilesystem: true
                            capabilities:
                              drop: [ALL]
                          volumeMounts:
                            - {name: settings, mountPath: /etc/shop, readOnly: true}
                            - {name: tmp, mountPath: /tmp}
                        - name: metrics-proxy
                          image: registry.example.com/shop/metrics-proxy:1.4.2
                          args: ["--upstream=http://127.0.0.1:9090", "--listen=:9091"]
                          ports:
                            - {name: proxy, containerPort: 9091}
                          readinessProbe:
                            httpGet: {path: /healthz, port: proxy}
                            periodSeconds: 10
                          resources:
                            requests: {cpu: 10m, memory: 16Mi}
                            limits: {cpu: 50m, memory: 32Mi}
                          securityContext:
                            allowPrivilegeEscalation: false
                            readOnlyRootFilesystem: true
                      volumes:
                        - name: settings
                          configMap:
                            name: shop-settings
                            items:
                              - {key: settings.properties, path: settings.properties}
                        - name: tmp
                          emptyDir: {sizeLimit: 16Mi}
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                  labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: shop}
                spec:
                  type: ClusterIP
                  selector: {app.kubernetes.io/name: %1$s}
                  ports:
                    - {name: grpc, port: %3$d, targetPort: grpc}
                """.formatted(name, image, port);
    }

    /** The storefront's public entry: a LoadBalancer Service (the server picks the node port). */
    static String loadBalancer(String name) {
        return """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s-external
                  labels: {app.kubernetes.io/name: %1$s, app.kubernetes.io/part-of: shop}
                spec:
                  type: LoadBalancer
                  selector: {app.kubernetes.io/name: %1$s}
                  ports:
                    - {name: http, port: 80, targetPort: grpc}
                """.formatted(name);
    }
}
