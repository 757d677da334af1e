package dev.lockstep.writeback;

import dev.lockstep.cli.Main;
import dev.lockstep.testing.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code lockstep} CLI on one app "hello" that writes back to {@code remote}, as the write-back ITs run it. */
final class WriteBackCli {
    private WriteBackCli() {}

    /** Runs a CLI command; stdout then stderr go to {@code out}. Returns the exit code. */
    static int run(TestCluster cluster, Path tmp, String remote, StringWriter out, String... args) throws Exception {
        Path config = Files.writeString(tmp.resolve("lockstep.yaml"), """
                stateNamespace: %s
                cacheDir: %s
                apps:
                  - name: hello
                    repo: {url: "%s"}
                    path: app
                    namespace: %s
                    writeBack: {author: "Lockstep <lockstep@example.com>"}
                """.formatted(
                        cluster.namespace(), tmp.resolve("cli-cache"), remote, cluster.namespace()));
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--config",
                config.toString(),
                "--kubeconfig",
                cluster.kubeconfig().toString()));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        out.append(err.toString());
        return code;
    }
}
