# Build: a full JDK and Maven; run: a slim JRE as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q -DskipTests package

# kustomize, pinned: the render step runs it as a process (v4+ required; this image checks the version at start).
# The official image puts kustomize on its PATH; copying it from there needs no download and no checksum of our own.
FROM registry.k8s.io/kustomize/kustomize:v5.5.0 AS kustomize
RUN cp "$(command -v kustomize)" /kustomize

FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system --gid 10001 lockstep && useradd --system --uid 10001 --gid lockstep --home /nonexistent lockstep \
 && mkdir -p /var/cache/lockstep && chown lockstep:lockstep /var/cache/lockstep
COPY --from=kustomize /kustomize /usr/local/bin/kustomize
COPY --from=build /src/target/lockstep.jar /app/lockstep.jar
COPY --from=build /src/src/main/cds/lockstep.classlist /app/lockstep.classlist
COPY scripts/lockstep /app/lockstep
# Class-data sharing: the archive must come from this image's own JVM and name the jar at /app, so it is built
# here, not copied from the build stage. scripts/lockstep uses it when present; a failed dump only costs start time.
RUN java -Xshare:dump -XX:SharedClassListFile=/app/lockstep.classlist -XX:SharedArchiveFile=/app/lockstep.jsa \
      -cp /app/lockstep.jar >/dev/null 2>&1 || rm -f /app/lockstep.jsa
USER 10001:10001
EXPOSE 8080
# Helm charts: Helm's lookup goes to Lockstep's own loopback API that finds nothing, never to the cluster (the Go side
# reads this at process start), and helm-java / JNA unpack their native libraries into /tmp, the writable emptyDir
# config/deploy/ mounts under a read-only root file system (docs/helm.md).
ENV HELM_KUBEAPISERVER=http://127.0.0.1:18089
ENV LOCKSTEP_JAVA_OPTS="-XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Djna.tmpdir=/tmp/jna"
ENTRYPOINT ["/app/lockstep"]
CMD ["run", "--config", "/etc/lockstep/config/config.yaml"]
