package dev.lockstep.cli;

import dev.lockstep.testbed.SimulatedNodeMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** The demo's stand-in for scheduler and kubelet on the local control plane. Hidden: not for real clusters. */
@Command(name = "dev-node", hidden = true, description = "Run the simulated node (demo and tests only).")
final class DevNodeCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Parameters(arity = "0", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() throws InterruptedException {
        SimulatedNodeMain.main(args.toArray(String[]::new));
        return ExitCode.OK;
    }
}
