package dev.lockstep.reconcile.pass;

import dev.lockstep.config.DecryptSpec;
import dev.lockstep.git.GitSourceException;
import dev.lockstep.git.TreeEntry;
import dev.lockstep.model.SourceFile;
import dev.lockstep.render.SourceTree;
import dev.lockstep.secrets.DecryptedFile;
import dev.lockstep.secrets.SopsDecryptor;
import dev.lockstep.secrets.SopsException;
import dev.lockstep.secrets.SopsKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A commit's tree whose SOPS files read as their plaintext, in memory. Every render reads through it, so plain files
 * and the files a kustomization reads (resources, and what its generators read) are decrypted before kustomize runs:
 * the MAC is checked against the file exactly as sops wrote it, whatever prefix, labels or namespace kustomize adds
 * later. With keys configured the tree {@linkplain #holdsSecrets holds secrets}, so kustomize's copy goes to a
 * private directory outside cacheDir. Without keys, an encrypted file is refused naming the file and the setting.
 * {@code lockstep render} reads through it too.
 */
public final class DecryptingTree implements SourceTree {
    /** An encrypted file that cannot be decrypted: the commit stalls. The message names the file, never a value. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final SourceTree tree;
    private final SopsDecryptor decryptor;
    private final Optional<SopsKeys> keys;
    /** One session per tree (per pass): each key file is read once, at its first use, and again next pass. */
    private final Optional<SopsDecryptor.Session> session;

    private final Set<String> secretValues = ConcurrentHashMap.newKeySet();

    public DecryptingTree(SourceTree tree, SopsDecryptor decryptor, DecryptSpec decrypt) {
        this.tree = tree;
        this.decryptor = decryptor;
        this.keys = decrypt.sops()
                ? Optional.of(new SopsKeys(decrypt.ageKeyFile(), decrypt.openpgpKeyFile()))
                : Optional.empty();
        this.session = keys.map(decryptor::session);
    }

    /** The plaintext of every value decrypted so far, for masking. */
    public Set<String> secretValues() {
        return Set.copyOf(secretValues);
    }

    @Override
    public Optional<List<SourceFile>> files(String path) throws GitSourceException {
        Optional<List<SourceFile>> files = tree.files(path);
        if (files.isEmpty()) {
            return files;
        }
        List<SourceFile> out = new ArrayList<>(files.get().size());
        for (SourceFile file : files.get()) {
            out.add(plain(file));
        }
        return Optional.of(out);
    }

    private SourceFile plain(SourceFile file) {
        if (keys.isEmpty()) {
            if (decryptor.isEncrypted(file)) {
                throw new Refused(file.path() + ": is SOPS-encrypted, but the app sets no " + DecryptSpec.SOPS_SETTING);
            }
            return file;
        }
        Optional<DecryptedFile> decrypted;
        try {
            decrypted = session.get().decrypt(file);
        } catch (SopsException e) {
            throw new Refused(e.getMessage());
        }
        if (decrypted.isEmpty()) {
            return file;
        }
        secretValues.addAll(decrypted.get().secretValues());
        return new SourceFile(file.path(), decrypted.get().content());
    }

    @Override
    public boolean holdsSecrets() {
        return keys.isPresent();
    }

    @Override
    public String label() {
        return tree.label();
    }

    @Override
    public String id() {
        return tree.id();
    }

    @Override
    public Optional<TreeEntry> entry(String path) throws GitSourceException {
        return tree.entry(path);
    }

    @Override
    public List<TreeEntry> under(String directory) throws GitSourceException {
        return tree.under(directory);
    }
}
