package dev.lockstep.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an app's {@code writeBack}, {@code onFailedRollout} and {@code onManualRollback}, naming each bad field. */
record WriteBackSettings(
        Optional<WriteBackSpec> writeBack, OnFailedRollout onFailedRollout, OnManualRollback onManualRollback) {
    private static final Pattern AUTHOR = Pattern.compile("\\s*([^<>]+?)\\s*<([^<>\\s]+@[^<>\\s]+)>\\s*");

    static WriteBackSettings read(FieldReader app, Path baseDir) {
        Optional<WriteBackSpec> writeBack = app.object("writeBack").map(r -> writeBack(r, baseDir));
        OnFailedRollout failed = app.choice("onFailedRollout", OnFailedRollout.class, OnFailedRollout.REPORT);
        OnManualRollback manual = app.choice("onManualRollback", OnManualRollback.class, OnManualRollback.HEAL);
        if (failed == OnFailedRollout.REVERT && writeBack.isEmpty()) {
            app.problem(
                    "onFailedRollout",
                    "revert needs writeBack (an author for Lockstep's commits); add writeBack or use report");
        }
        if (manual == OnManualRollback.COMMIT && writeBack.isEmpty()) {
            app.problem(
                    "onManualRollback",
                    "commit needs writeBack (an author for Lockstep's commits); add writeBack or use heal or report");
        }
        return new WriteBackSettings(writeBack, failed, manual);
    }

    private static WriteBackSpec writeBack(FieldReader r, Path baseDir) {
        String author = r.requiredString("author");
        Optional<Path> signingKey = r.file("signingKeyFile", baseDir, NamedFiles.Kind.FILE);
        r.rejectUnknown();
        Matcher m = AUTHOR.matcher(author);
        if (!author.isEmpty() && !m.matches()) {
            r.problem("author", "'" + author + "' must read 'Name <email>', e.g. Lockstep <lockstep@example.com>");
            return new WriteBackSpec(author, "", signingKey);
        }
        return author.isEmpty()
                ? new WriteBackSpec("", "", signingKey)
                : new WriteBackSpec(m.group(1), m.group(2), signingKey);
    }
}
