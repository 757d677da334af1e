package dev.lockstep.testbed;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Map;

/** The Node object a simulated kubelet registers, and the status it reports on each heartbeat. Pure. */
final class NodeObjects {

    /** Loopback, so anything that tries the kubelet port (kubectl logs/exec) is refused at once. */
    static final String NODE_IP = "127.0.0.1";

    // Generous: nothing schedules against it, but tools that sum capacity should not see a full node.
    private static final Map<String, Quantity> CAPACITY = Map.of(
            "cpu", new Quantity("64"),
            "memory", new Quantity("256Gi"),
            "pods", new Quantity("100000"),
            "ephemeral-storage", new Quantity("1Ti"));

    private NodeObjects() {}

    static Node node(String nodeName, Instant now) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(nodeName)
                .withLabels(Map.of(
                        "kubernetes.io/hostname",
                        nodeName,
                        "kubernetes.io/os",
                        "linux",
                        "kubernetes.io/arch",
                        "amd64",
                        SimulatedNodeConfig.SIMULATED_NODE_LABEL,
                        "true"))
                .endMetadata()
                .withStatus(status(nodeName, now))
                .build();
    }

    /** The whole status, sent as a merge patch: conditions carry a fresh heartbeat time. */
    static NodeStatus status(String nodeName, Instant now) {
        String time = PodStatuses.timestamp(now);
        return new NodeStatusBuilder()
                .withCapacity(CAPACITY)
                .withAllocatable(CAPACITY)
                .withConditions(
                        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", time),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", time),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID", time),
                        condition("Ready", "True", "KubeletReady", time))
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(NODE_IP)
                .endAddress()
                .addNewAddress()
                .withType("Hostname")
                .withAddress(nodeName)
                .endAddress()
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint()
                .withPort(10250)
                .endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withArchitecture("amd64")
                .withOperatingSystem("linux")
                .withOsImage("lockstep simulated node")
                .withKubeletVersion("v0.0.0-simulated")
                .withKubeProxyVersion("v0.0.0-simulated")
                .withContainerRuntimeVersion("sim://0")
                .withKernelVersion("0")
                .withMachineID(nodeName)
                .withSystemUUID(nodeName)
                .withBootID(nodeName)
                .endNodeInfo()
                .build();
    }

    private static NodeCondition condition(String type, String status, String reason, String time) {
        return new NodeConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withLastHeartbeatTime(time)
                .withLastTransitionTime(time)
                .build();
    }
}
