package dev.lockstep.testing;

/** The seed story's manifests: hello-app, a 3-replica Deployment, and its NodePort Service. */
public final class HelloApp {
    private HelloApp() {}

    public static String deployment(String image) {
        return deployment("hello-app", image, 3);
    }

    /** progressDeadlineSeconds is low so that an un-ready image fails in seconds, not minutes. */
    public static String deployment(String name, String image, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels: {app: %1$s}
                spec:
                  replicas: %3$d
                  progressDeadlineSeconds: 8
                  selector:
                    matchLabels: {app: %1$s}
                  strategy:
                    rollingUpdate: {maxUnavailable: 1, maxSurge: 1}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      containers:
                        - name: hello
                          image: %2$s
                          ports:
                            - containerPort: 3000
                """.formatted(name, image, replicas);
    }

    /** nodePort 0 lets the server pick one (node ports are cluster-wide; parallel tests must not collide). */
    public static String service(int nodePort) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: hello-app
                spec:
                  type: NodePort
                  selector: {app: hello-app}
                  ports:
                    - port: 3000
                      targetPort: 3000
                %s""".formatted(nodePort > 0 ? "      nodePort: " + nodePort + "\n" : "");
    }

    public static String configMap(String name, String value) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                data:
                  value: "%s"
                """.formatted(name, value);
    }
}
