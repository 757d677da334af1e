package dev.lockstep.render.kustomize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program with nothing on stdin, a deadline and a cap on what it may print. A program that runs past
 * the deadline or prints past the cap is killed (with its children), and nothing it printed is used.
 */
final class ProcessRun {
    /** How one run ended. */
    sealed interface Outcome {
        record Exited(int code, byte[] stdout, String stderr) implements Outcome {}

        record TimedOut(Duration after) implements Outcome {}

        record TooLarge(long limit) implements Outcome {}

        /** The program could not be started: not installed, not executable. */
        record NotStarted(String reason) implements Outcome {}
    }

    private static final int MAX_STDERR = 64 * 1024;

    /** Environment variables a render may see: where programs are, locale, and proxies for allowed remote bases. */
    private static final List<String> PASSED_ENV = List.of(
            "PATH",
            "LANG",
            "LC_ALL",
            "TZ",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "no_proxy");

    private ProcessRun() {}

    static Outcome run(List<String> command, Path workingDirectory, Duration timeout, long maxStdout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        // The daemon's environment may hold credentials (repo.tokenEnv, passwordEnv): kustomize gets none of it, only
        // what finding programs and reaching a proxy need, and a home of its own.
        java.util.Map<String, String> env = builder.environment();
        java.util.Map<String, String> inherited = new java.util.HashMap<>(env);
        env.clear();
        for (String name : PASSED_ENV) {
            if (inherited.containsKey(name)) {
                env.put(name, inherited.get(name));
            }
        }
        env.put("HOME", workingDirectory.toAbsolutePath().toString());
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Outcome.NotStarted(String.valueOf(e.getMessage()));
        }
        Drain out = new Drain(process.getInputStream(), maxStdout);
        Drain err = new Drain(process.getErrorStream(), MAX_STDERR);
        Thread outThread = started(out, "render-stdout");
        Thread errThread = started(err, "render-stderr");
        try {
            boolean exited = waitFor(process, timeout, out);
            if (out.overflowed()) {
                kill(process);
                return new Outcome.TooLarge(maxStdout);
            }
            if (!exited) {
                kill(process);
                return new Outcome.TimedOut(timeout);
            }
            outThread.join(TimeUnit.SECONDS.toMillis(5));
            errThread.join(TimeUnit.SECONDS.toMillis(5));
            if (out.overflowed()) {
                return new Outcome.TooLarge(maxStdout);
            }
            return new Outcome.Exited(process.exitValue(), out.bytes(), err.text());
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return new Outcome.TimedOut(timeout);
        }
    }

    private static Thread started(Runnable drain, String name) {
        Thread thread = new Thread(drain, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for the exit, the deadline or an overflow, whichever comes first. */
    private static boolean waitFor(Process process, Duration timeout, Drain out) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (process.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (out.overflowed()) {
                return false;
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads a stream to its end, keeping at most {@code limit} bytes and noting when there was more. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final long limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean overflowed;

        Drain(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[64 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        if (kept.size() + (long) n > limit) {
                            overflowed = true;
                            kept.write(buffer, 0, (int) Math.max(0, limit - kept.size()));
                            continue; // keep draining so the program is never blocked on a full pipe
                        }
                        kept.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process was killed: what was read so far is all there is
            }
        }

        boolean overflowed() {
            return overflowed;
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        String text() {
            return new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
