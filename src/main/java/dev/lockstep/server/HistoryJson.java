package dev.lockstep.server;

import dev.lockstep.history.CommitRef;
import dev.lockstep.history.HistoryRevision;
import dev.lockstep.history.Outcome;
import dev.lockstep.history.RevisionDiff;
import dev.lockstep.history.RollbackOrigin;
import dev.lockstep.history.WorkloadHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of a workload's timeline and of a revision's diff; the shapes are in {@link HistoryFeed}. */
final class HistoryJson {
    private HistoryJson() {}

    static Map<String, Object> of(String app, WorkloadHistory.Timeline timeline, String version) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (HistoryRevision r : timeline.newestFirst()) {
            rows.add(row(r));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("kind", timeline.workload().kind());
        json.put("namespace", timeline.workload().namespace());
        json.put("name", timeline.workload().name());
        json.put("revisionKind", timeline.revisionKind());
        json.put("revision", timeline.now().revision());
        json.put("state", timeline.now().state().display());
        json.put("historyVersion", version);
        json.put("rows", rows);
        return json;
    }

    static Map<String, Object> of(RevisionDiff diff) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("revision", diff.revision());
        json.put("current", diff.current());
        json.put("diff", diff.unified());
        return json;
    }

    private static Map<String, Object> row(HistoryRevision r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("revision", r.revision());
        json.put("was", r.was());
        json.put("replicaSet", r.object());
        json.put("current", r.current());
        json.put("commit", r.commit().map(HistoryJson::commit).orElse(null));
        json.put("images", r.images());
        json.put("appliedAt", r.appliedAt().map(Instant::toString).orElse(null));
        json.put("replicas", r.replicas());
        json.put("result", r.result().words());
        json.put("resultKind", kind(r.result().outcome()));
        json.put("rollback", r.rollback().map(HistoryJson::rollback).orElse(null));
        return json;
    }

    private static Map<String, Object> commit(CommitRef c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sha", c.sha());
        json.put("short", c.shortSha());
        json.put("subject", c.subject());
        json.put("author", AppViews.authorName(c.author()));
        json.put("renderedBy", c.renderedBy().isEmpty() ? null : c.renderedBy());
        return json;
    }

    private static Map<String, Object> rollback(RollbackOrigin origin) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("toRevision", origin.toRevision());
        json.put("commit", origin.commit().orElse(null));
        json.put("short", origin.shortSha().orElse(null));
        return json;
    }

    /** The page's word for an outcome: rolledOut, failed, progressing, rollback, superseded or none. */
    static String kind(Outcome outcome) {
        return switch (outcome) {
            case ROLLED_OUT -> "rolledOut";
            case FAILED -> "failed";
            case PROGRESSING -> "progressing";
            case ROLLED_BACK, ROLLED_BACK_BY_HAND -> "rollback";
            case SUPERSEDED -> "superseded";
            case UNKNOWN -> "none";
        };
    }
}
