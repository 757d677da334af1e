package dev.lockstep.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree of maps, lists and scalars (as JSON or YAML parsing gives them) packed into one byte array, and back. Kept
 * objects (the watch cache, what was applied) are read rarely but held for as long as the daemon runs: as maps, a
 * Deployment costs about 10 KB of heap in small objects; packed, well under one. Unpacking gives new mutable
 * {@link LinkedHashMap}s and {@link ArrayList}s with the same keys in the same order and the same value types, so a
 * packed tree compares ({@link Tree#sameValue}) and digests exactly as the original did.
 *
 * <p>A string seen before in the same tree, or one of the usual Kubernetes keys ({@link #COMMON}), is written as a
 * back-reference: labels, selectors and templates repeat names and keys many times over.
 */
public final class PackedTree {
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int STRING = 3;
    private static final int REF = 4;
    private static final int INT = 5;
    private static final int LONG = 6;
    private static final int DOUBLE = 7;
    private static final int BIG_INTEGER = 8;
    private static final int BIG_DECIMAL = 9;
    private static final int MAP = 10;
    private static final int LIST = 11;
    private static final int FLOAT = 12;

    /** Strings known to both sides before any is written: the keys nearly every object has. Append only. */
    private static final List<String> COMMON = List.of(
            "apiVersion",
            "kind",
            "metadata",
            "name",
            "namespace",
            "labels",
            "annotations",
            "spec",
            "status",
            "template",
            "selector",
            "matchLabels",
            "containers",
            "image",
            "ports",
            "containerPort",
            "protocol",
            "TCP",
            "replicas",
            "resourceVersion",
            "uid",
            "generation",
            "creationTimestamp",
            "app",
            "app.kubernetes.io/managed-by",
            "app.kubernetes.io/instance",
            "lockstep",
            "strategy",
            "rollingUpdate",
            "maxUnavailable",
            "maxSurge",
            "RollingUpdate",
            "type",
            "conditions",
            "lastTransitionTime",
            "lastUpdateTime",
            "message",
            "reason",
            "True",
            "False",
            "observedGeneration",
            "updatedReplicas",
            "readyReplicas",
            "availableReplicas",
            "unavailableReplicas",
            "Available",
            "Progressing",
            "progressDeadlineSeconds",
            "revisionHistoryLimit",
            "resources",
            "terminationMessagePath",
            "/dev/termination-log",
            "terminationMessagePolicy",
            "File",
            "imagePullPolicy",
            "IfNotPresent",
            "Always",
            "restartPolicy",
            "terminationGracePeriodSeconds",
            "dnsPolicy",
            "ClusterFirst",
            "securityContext",
            "schedulerName",
            "default-scheduler",
            "deployment.kubernetes.io/revision",
            "data",
            "env",
            "value",
            "volumes",
            "volumeMounts",
            "mountPath",
            "args",
            "command",
            "ownerReferences",
            "finalizers",
            "apps/v1",
            "v1",
            "Deployment",
            "ConfigMap",
            "Secret",
            "Service");

    private static final Map<String, Integer> COMMON_INDEX = commonIndex();

    private PackedTree() {}

    /**
     * @throws IllegalArgumentException when the tree holds a value other than a map, list, string, number, boolean or
     *     null (a YAML timestamp, say): such a tree is kept as it is
     */
    public static byte[] pack(Object tree) {
        Writer out = new Writer();
        out.value(tree);
        return out.bytes();
    }

    /** The tree {@link #pack} was given, as new mutable maps and lists. */
    public static Object unpack(byte[] packed) {
        return new Reader(packed).value();
    }

    /** {@link #unpack} of a packed map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> unpackMap(byte[] packed) {
        return (Map<String, Object>) unpack(packed);
    }

    private static Map<String, Integer> commonIndex() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < COMMON.size(); i++) {
            index.put(COMMON.get(i), i);
        }
        return Map.copyOf(index);
    }

    private static final class Writer {
        private byte[] buf = new byte[256];
        private int size;
        private final Map<String, Integer> seen = new HashMap<>();

        void value(Object v) {
            if (v == null) {
                put(NULL);
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof Map<?, ?> map) {
                put(MAP);
                varint(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    value(e.getKey());
                    value(e.getValue());
                }
            } else if (v instanceof List<?> list) {
                put(LIST);
                varint(list.size());
                for (Object item : list) {
                    value(item);
                }
            } else if (v instanceof Boolean b) {
                put(b ? TRUE : FALSE);
            } else if (v instanceof Integer i) {
                put(INT);
                varint(zigzag(i));
            } else if (v instanceof Long l) {
                put(LONG);
                varint(zigzag(l));
            } else if (v instanceof Double d) {
                put(DOUBLE);
                fixed(Double.doubleToRawLongBits(d), 8);
            } else if (v instanceof Float f) {
                put(FLOAT);
                fixed(Float.floatToRawIntBits(f) & 0xffffffffL, 4);
            } else if (v instanceof BigInteger big) {
                put(BIG_INTEGER);
                raw(big.toByteArray());
            } else if (v instanceof BigDecimal dec) {
                put(BIG_DECIMAL);
                varint(zigzag(dec.scale()));
                raw(dec.unscaledValue().toByteArray());
            } else {
                throw new IllegalArgumentException(
                        "cannot pack a " + v.getClass().getName() + " (only maps, lists and JSON scalars)");
            }
        }

        private void string(String s) {
            Integer ref = COMMON_INDEX.get(s);
            if (ref == null) {
                ref = seen.get(s);
                if (ref != null) {
                    ref += COMMON.size();
                }
            }
            if (ref != null) {
                put(REF);
                varint(ref);
                return;
            }
            seen.put(s, seen.size());
            put(STRING);
            raw(s.getBytes(StandardCharsets.UTF_8));
        }

        private void raw(byte[] bytes) {
            varint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, size, bytes.length);
            size += bytes.length;
        }

        private static long zigzag(long n) {
            return (n << 1) ^ (n >> 63);
        }

        private void varint(long n) {
            while ((n & ~0x7fL) != 0) {
                put((int) ((n & 0x7f) | 0x80));
                n >>>= 7;
            }
            put((int) n);
        }

        private void fixed(long bits, int bytes) {
            for (int i = 0; i < bytes; i++) {
                put((int) (bits >>> (8 * i)) & 0xff);
            }
        }

        private void put(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private int pos;
        private final List<String> seen = new ArrayList<>();

        Reader(byte[] buf) {
            this.buf = buf;
        }

        Object value() {
            int tag = buf[pos++];
            return switch (tag) {
                case NULL -> null;
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                case STRING -> {
                    int n = (int) varint();
                    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
                    pos += n;
                    seen.add(s);
                    yield s;
                }
                case REF -> {
                    int ref = (int) varint();
                    yield ref < COMMON.size() ? COMMON.get(ref) : seen.get(ref - COMMON.size());
                }
                case INT -> (int) unzigzag(varint());
                case LONG -> unzigzag(varint());
                case DOUBLE -> Double.longBitsToDouble(fixed(8));
                case FLOAT -> Float.intBitsToFloat((int) fixed(4));
                case BIG_INTEGER -> new BigInteger(raw());
                case BIG_DECIMAL -> {
                    int scale = (int) unzigzag(varint());
                    yield new BigDecimal(new BigInteger(raw()), scale);
                }
                case MAP -> {
                    int n = (int) varint();
                    Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, (int) (n / 0.75f) + 1));
                    for (int i = 0; i < n; i++) {
                        Object key = value();
                        map.put(key, value());
                    }
                    yield map;
                }
                case LIST -> {
                    int n = (int) varint();
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(value());
                    }
                    yield list;
                }
                default -> throw new IllegalStateException("not a packed tree: tag " + tag + " at " + (pos - 1));
            };
        }

        private byte[] raw() {
            int n = (int) varint();
            byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return out;
        }

        private long varint() {
            long n = 0;
            int shift = 0;
            while (true) {
                int b = buf[pos++];
                n |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return n;
                }
                shift += 7;
            }
        }

        private long fixed(int bytes) {
            long bits = 0;
            for (int i = 0; i < bytes; i++) {
                bits |= (long) (buf[pos++] & 0xff) << (8 * i);
            }
            return bits;
        }

        private static long unzigzag(long n) {
            return (n >>> 1) ^ -(n & 1);
        }
    }
}
