package dev.lockstep.testing;

/** Manifests for the StatefulSet, DaemonSet and Job stories; deadlines are short so a failure shows in seconds. */
public final class Workloads {
    private Workloads() {}

    /** Three ordered replicas; Lockstep reports the rollout failed after 15 s without progress to ready. */
    public static String statefulSet(String name, String image) {
        return """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: %1$s
                  annotations: {lockstep.dev/progress-deadline-seconds: "15"}
                spec:
                  serviceName: %1$s
                  replicas: 3
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      containers:
                        - name: db
                          image: %2$s
                """.formatted(name, image);
    }

    public static String daemonSet(String name, String image) {
        return """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: %1$s
                  annotations: {lockstep.dev/progress-deadline-seconds: "15"}
                spec:
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      containers:
                        - name: agent
                          image: %2$s
                """.formatted(name, image);
    }

    /** backoffLimit 1: two failed pods and the Job controller marks it Failed. */
    public static String job(String name, String image) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: %1$s
                spec:
                  backoffLimit: 1
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: %2$s
                """.formatted(name, image);
    }
}
