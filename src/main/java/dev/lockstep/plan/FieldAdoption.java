package dev.lockstep.plan;

import dev.lockstep.util.Tree;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Takes over the fields other field managers hold on an object Lockstep applies, so that a field git does not set is
 * removed instead of silently staying: server-side apply removes a field only when no manager owns it any more, and a
 * client-side {@code kubectl apply} (manager {@code kubectl-client-side-apply}, or {@code before-first-apply} for fields
 * that predate the first server-side apply) owns everything it ever wrote.
 *
 * <p>Only the listed managers are taken over. Fields other controllers own (an HPA's {@code spec.replicas}, written by
 * {@code kube-controller-manager}; anything of a manager not listed) stay theirs. {@code spec.replicas} also stays with
 * its manager when the apply leaves it out (an HPA in the app scales the workload). A mutating webhook's additions are
 * recorded under the manager of the request that triggered it; it adds them again on Lockstep's own apply.
 *
 * @param managers the field managers whose fields Lockstep takes over
 */
public record FieldAdoption(Set<String> managers) {
    /** Always taken over: what {@code kubectl apply} (client-side) wrote, and what was there before the first apply. */
    public static final Set<String> DEFAULT_MANAGERS = Set.of("kubectl-client-side-apply", "before-first-apply");

    public static final FieldAdoption DEFAULT = new FieldAdoption(DEFAULT_MANAGERS);

    private static final List<String> REPLICAS = List.of("f:spec", "f:replicas");

    public FieldAdoption {
        managers = Set.copyOf(managers);
    }

    /** The defaults plus the managers an app's config adds (e.g. another GitOps tool's). */
    public static FieldAdoption withExtra(Set<String> extra) {
        Set<String> all = new LinkedHashSet<>(DEFAULT_MANAGERS);
        all.addAll(extra);
        return new FieldAdoption(all);
    }

    /**
     * The taken-over managers holding fields of {@code object} that a takeover would move (for an apply of
     * {@code body}), comma-separated; empty when there are none.
     */
    public Optional<String> holders(Map<String, Object> object, Map<String, Object> body) {
        Set<String> found = new TreeSet<>();
        for (Map<String, Object> entry : Tree.maps(object, "metadata", "managedFields")) {
            if (takenOver(entry, body)) {
                found.add(String.valueOf(entry.get("manager")));
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", found));
    }

    /** A listed manager's entry with a field to move: not status, and not only the replicas an HPA is left. */
    private boolean takenOver(Map<String, Object> entry, Map<String, Object> body) {
        if (!managers.contains(String.valueOf(entry.get("manager"))) || "status".equals(entry.get("subresource"))) {
            return false;
        }
        Map<String, Object> fields = new LinkedHashMap<>(Tree.map(entry, "fieldsV1"));
        if (Tree.at(body, "spec", "replicas").isEmpty()) {
            removePath(fields, REPLICAS);
        }
        return !FieldsV1.owned(fields).isEmpty();
    }

    /**
     * What to write so that {@code manager} owns what the listed managers owned: the object's managedFields with their
     * entries merged into {@code manager}'s Apply entry. Empty when no listed manager holds a field.
     */
    public Optional<Takeover> takeover(
            Map<String, Object> live, Map<String, Object> body, String manager, Instant now) {
        List<Map<String, Object>> entries = Tree.maps(live, "metadata", "managedFields");
        Set<String> from = new TreeSet<>();
        Map<String, Object> adopted = new LinkedHashMap<>();
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> entry : entries) {
            String name = String.valueOf(entry.get("manager"));
            if (takenOver(entry, body) && !name.equals(manager)) {
                from.add(name);
                adopted = FieldsV1.merge(adopted, Tree.map(entry, "fieldsV1"));
            } else {
                kept.add(Tree.deepCopy(entry));
            }
        }
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> withheld = new LinkedHashMap<>();
        if (Tree.at(body, "spec", "replicas").isEmpty() && removePath(adopted, REPLICAS)) {
            withheld = Map.of("f:spec", Map.of("f:replicas", Map.of()));
        }
        Map<String, Object> ours = kept.stream()
                .filter(e -> manager.equals(e.get("manager")) && "Apply".equals(e.get("operation")))
                .findFirst()
                .orElse(null);
        if (ours == null) {
            ours = new LinkedHashMap<>();
            ours.put("manager", manager);
            ours.put("operation", "Apply");
            ours.put("apiVersion", live.get("apiVersion"));
            ours.put("time", now.truncatedTo(ChronoUnit.SECONDS).toString());
            ours.put("fieldsType", "FieldsV1");
            ours.put("fieldsV1", Map.of());
            kept.add(ours);
        }
        ours.put("fieldsV1", FieldsV1.merge(Tree.map(ours, "fieldsV1"), adopted));
        if (!withheld.isEmpty()) {
            Map<String, Object> residue = new LinkedHashMap<>();
            residue.put("manager", from.iterator().next());
            residue.put("operation", "Update");
            residue.put("apiVersion", live.get("apiVersion"));
            residue.put("time", now.truncatedTo(ChronoUnit.SECONDS).toString());
            residue.put("fieldsType", "FieldsV1");
            residue.put("fieldsV1", withheld);
            kept.add(residue);
        }
        Set<List<String>> othersOwn = new LinkedHashSet<>();
        kept.stream()
                .filter(e -> !manager.equals(e.get("manager")))
                .forEach(e -> othersOwn.addAll(FieldsV1.owned(Tree.map(e, "fieldsV1"))));
        return Optional.of(new Takeover(
                List.copyOf(from),
                kept,
                FieldsV1.owned(adopted),
                othersOwn,
                Tree.string(live, "metadata", "resourceVersion").orElse("")));
    }

    @SuppressWarnings("unchecked")
    private static boolean removePath(Map<String, Object> fields, List<String> path) {
        Object spec = fields.get(path.get(0));
        if (spec instanceof Map<?, ?> m && m.containsKey(path.get(1))) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
            copy.remove(path.get(1));
            copy.remove("."); // "." alone would read as owning the whole of spec
            if (copy.isEmpty()) {
                fields.remove(path.get(0));
            } else {
                fields.put(path.get(0), copy);
            }
            return true;
        }
        return false;
    }

    /**
     * A takeover to write before the apply.
     *
     * @param from            the managers taken over
     * @param managedFields   the object's managedFields after the takeover
     * @param adopted         the field paths Lockstep takes over
     * @param othersOwn       the field paths managers other than Lockstep still own afterwards
     * @param resourceVersion the live object's, so the takeover fails rather than overwrite a newer change
     */
    public record Takeover(
            List<String> from,
            List<Map<String, Object>> managedFields,
            Set<List<String>> adopted,
            Set<List<String>> othersOwn,
            String resourceVersion) {

        /**
         * The server's dry-run answer without the fields only the taken-over managers held and Lockstep's apply does
         * not set (absent from its own entry in {@code predicted}). Fields the server defaults come back when it
         * defaults this again; see {@link Planner}.
         */
        public Map<String, Object> withoutAdoptedOnly(Map<String, Object> predicted, String manager) {
            Set<List<String>> setByUs = new LinkedHashSet<>();
            Tree.maps(predicted, "metadata", "managedFields").stream()
                    .filter(e -> manager.equals(e.get("manager")) && "Apply".equals(e.get("operation")))
                    .forEach(e -> setByUs.addAll(FieldsV1.owned(Tree.map(e, "fieldsV1"))));
            Map<String, Object> after = Tree.deepCopy(predicted);
            for (List<String> path : adopted) {
                boolean aboveOurs = setByUs.stream()
                        .anyMatch(p -> p.size() > path.size()
                                && p.subList(0, path.size()).equals(path));
                if (!setByUs.contains(path) && !othersOwn.contains(path) && !aboveOurs) {
                    FieldsV1.remove(after, path);
                }
            }
            return after;
        }

        /** Readable paths of the adopted fields {@code before} has and {@code after} lost, for diff and the log. */
        public List<String> removed(Map<String, Object> before, Map<String, Object> after) {
            List<String> out = new ArrayList<>();
            List<List<String>> gone = new ArrayList<>();
            for (List<String> path : adopted) {
                if (gone.stream()
                        .anyMatch(p -> path.size() > p.size()
                                && path.subList(0, p.size()).equals(p))) {
                    continue; // inside a field already reported (a removed list item's own fields)
                }
                Map<String, Object> probe = Tree.deepCopy(before);
                Map<String, Object> probeAfter = Tree.deepCopy(after);
                if (FieldsV1.remove(probe, path) && !FieldsV1.remove(probeAfter, path)) {
                    gone.add(path);
                    out.add(FieldsV1.describe(path));
                }
            }
            return out;
        }
    }

    /** A takeover planned for one object, and what it removes there (readable paths), for diff and the log. */
    public record Adopting(Takeover takeover, List<String> removes) {
        public Adopting {
            removes = List.copyOf(removes);
        }

        /** "takes over fields of kubectl-client-side-apply; removes metadata.labels.legacy, ...". */
        public String describe() {
            return "takes over the fields of " + String.join(", ", takeover.from())
                    + (removes.isEmpty() ? "" : "; removes what git does not set: " + String.join(", ", removes));
        }
    }
}
