package dev.lockstep.testing;

/** Manifests for the StatefulSet, DaemonSet and Job stories; deadlines are short so a failure shows in seconds. */
public final class Workloads {
    private Workloads() {}

    /** Three ordered replicas; Lockstep reports the rollout failed after 15 s without progress to ready. */
    public static String statefulSet(String name, String image) {
        return withDeadline("StatefulSet", name, "  serviceName: " + name + "\n  replicas: 3\n", "db", image);
    }

    public static String daemonSet(String name, String image) {
        return withDeadline("DaemonSet", name, "", "agent", image);
    }

    /** A one-container workload selected by {@code app: name}, with a 15 s progress deadline. */
    private static String withDeadline(String kind, String name, String specLines, String container, String image) {
        return """
                apiVersion: apps/v1
                kind: %1$s
                metadata:
                  name: %2$s
                  annotations: {lockstep.dev/progress-deadline-seconds: "15"}
                spec:
                %3$s  selector:
                    matchLabels: {app: %2$s}
                  template:
                    metadata:
                      labels: {app: %2$s}
                    spec:
                      containers:
                        - name: %4$s
                          image: %5$s
                """.formatted(kind, name, specLines, container, image);
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
