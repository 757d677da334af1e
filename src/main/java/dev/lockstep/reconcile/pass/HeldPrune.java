package dev.lockstep.reconcile.pass;

import dev.lockstep.cluster.ConfigMapAppRecords;
import dev.lockstep.config.AppSpec;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.PruneHold;
import dev.lockstep.model.Revision;

/** How a held prune is put to users: what is held, since when, and the three ways to release it. */
public final class HeldPrune {
    private HeldPrune() {}

    public static String describe(AppSpec app, PruneHold hold) {
        return "prune held: " + hold.objects().size() + " objects whose prune was refused at commit "
                + Revision.shortSha(hold.commit()) + " stay until a person confirms: lockstep prune --app "
                + app.name() + " --confirm, allowMassPrune: true, or annotate ConfigMap "
                + ConfigMapAppRecords.configMapName(app.name()) + " with " + MetadataKeys.CONFIRM_PRUNE + "="
                + hold.token();
    }
}
