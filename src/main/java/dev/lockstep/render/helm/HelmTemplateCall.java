package dev.lockstep.render.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code helm template} through helm-java, on its own named daemon thread, waited for at most the timeout.
 *
 * <p>The call goes into Go through JNA and cannot be interrupted. When the timeout passes, the caller gets an error
 * and goes on; the thread ({@code lockstep-helm-<chart>}) keeps running until Helm returns, then deletes the
 * workspace and ends, its output discarded. A daemon thread never holds up the JVM's exit. A chart that never
 * finishes keeps its thread and the memory Helm uses for as long as the process lives; the next commit renders on a
 * new thread.
 */
final class HelmTemplateCall {
    /** The Go error ends with a hint for the helm command line, which means nothing here. */
    private static final String DEBUG_HINT = "Use --debug flag to render out invalid YAML";

    private HelmTemplateCall() {}

    record Arguments(Path chart, List<Path> valuesFiles, String releaseName, String namespace, String kubeVersion) {}

    /** Helm's multi-document output, or the exception helm-java threw (its message is Helm's error). */
    static String run(Arguments arguments, Duration timeout, String threadName, Runnable afterwards)
            throws HelmRenderException, TimeoutException {
        OfflineKubeApi.ensureInstalled();
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.complete(template(arguments));
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    } finally {
                        afterwards.run();
                    }
                },
                threadName);
        thread.setDaemon(true);
        thread.start();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HelmRenderException("interrupted while Helm rendered", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
                throw new HelmRenderException(cleanMessage(cause.getMessage()), cause);
            }
            throw new HelmRenderException("Helm failed: " + cause, cause);
        }
    }

    private static String template(Arguments arguments) {
        TemplateCommand command = new Helm(arguments.chart())
                .template()
                .withName(arguments.releaseName())
                .withNamespace(arguments.namespace());
        if (arguments.kubeVersion() != null && !arguments.kubeVersion().isBlank()) {
            command = command.withKubeVersion(arguments.kubeVersion());
        }
        for (Path valuesFile : arguments.valuesFiles()) {
            command = command.withValuesFile(valuesFile);
        }
        return command.call();
    }

    static String cleanMessage(String message) {
        String text = message == null ? "" : message;
        int hint = text.indexOf(DEBUG_HINT);
        if (hint >= 0) {
            text = text.substring(0, hint);
        }
        return HookKey.restore(text.strip());
    }
}
