package dev.lockstep.render;

import dev.lockstep.testing.GitRepoFixture;

/**
 * The Helm chart of the Helm ITs, under {@code app/}: the hello-app Deployment and a {@code hello-migrate} Job run as a
 * pre-install/pre-upgrade hook, both on the image tag {@code .Values.image.tag}. Each test writes its own
 * {@code values.yaml} (and any other template it needs).
 */
final class HelloChart {
    private HelloChart() {}

    /** @param migrateImage the hook Job's image repository, without the tag (e.g. {@code 080196/hello-migrate}) */
    static void write(GitRepoFixture repo, String migrateImage) {
        repo.write("app/Chart.yaml", "apiVersion: v2\nname: hello\nversion: 1.0.0\n");
        repo.write("app/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: hello-app
                  labels: {app: hello-app, chart: {{ .Chart.Name }}-{{ .Chart.Version }}}
                spec:
                  replicas: {{ .Values.replicaCount | default 1 }}
                  progressDeadlineSeconds: 30
                  selector:
                    matchLabels: {app: hello-app}
                  template:
                    metadata:
                      labels: {app: hello-app}
                    spec:
                      containers:
                        - name: hello
                          image: 080196/hello-app:{{ .Values.image.tag }}
                """);
        // a migration hook, run again for each commit (before-hook-creation) with the commit's image tag
        repo.write("app/templates/migrate.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: hello-migrate
                  annotations:
                    helm.sh/hook: pre-install,pre-upgrade
                    helm.sh/hook-delete-policy: before-hook-creation
                spec:
                  backoffLimit: 0
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: %s:{{ .Values.image.tag }}
                """.formatted(migrateImage));
    }
}
