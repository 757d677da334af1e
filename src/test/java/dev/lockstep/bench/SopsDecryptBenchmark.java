package dev.lockstep.bench;

import dev.lockstep.config.DecryptSpec;
import dev.lockstep.reconcile.engine.AppReconciler;
import dev.lockstep.reconcile.engine.PassFixture;
import dev.lockstep.reconcile.pass.PassOutcome;
import dev.lockstep.secrets.SopsTestEncryptor;
import dev.lockstep.testing.AppSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cost of decryption in a pass: one first-apply pass of N Secrets (default 1,000), each its own age-encrypted
 * SOPS file (its own data key and age stanza, as sops writes them), against the same pass over the same Secrets in
 * plain text. The cluster is the in-memory FakeCluster, so the difference is the render's decryption (age unwrap,
 * AES-GCM, MAC) plus reading the larger files. Run: {@code java -cp <test classpath> dev.lockstep.bench.SopsDecryptBenchmark [N] [repeats]}.
 */
public final class SopsDecryptBenchmark {
    private SopsDecryptBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        SopsTestEncryptor.AgeKeyPair pair = SopsTestEncryptor.newAgeKeyPair();
        SopsTestEncryptor encryptor =
                SopsTestEncryptor.forAge(pair.recipient()).withEncryptedRegex("^(data|stringData)$", false);
        List<String> plain = new ArrayList<>();
        List<String> encrypted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> doc = secret(i);
            plain.add(new org.yaml.snakeyaml.Yaml().dump(doc));
            encrypted.add(encryptor.yaml(doc));
        }
        List<Long> plainMs = new ArrayList<>();
        List<Long> encryptedMs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            plainMs.add(pass(plain, pair, false));
            encryptedMs.add(pass(encrypted, pair, true));
        }
        System.out.println("| first-apply pass of " + n + " Secrets (FakeCluster) | median of " + repeats + " |");
        System.out.println("| plain | " + median(plainMs) + " ms | all: " + plainMs);
        System.out.println("| age-encrypted (SOPS) | " + median(encryptedMs) + " ms | all: " + encryptedMs);
    }

    private static long pass(List<String> files, SopsTestEncryptor.AgeKeyPair pair, boolean decrypt) throws Exception {
        Path tmp = Files.createTempDirectory("sops-bench-");
        Path keyFile = tmp.resolve("keys.agekey");
        Files.writeString(keyFile, pair.identity() + "\n");
        DecryptSpec spec = decrypt ? new DecryptSpec(true, Optional.of(keyFile), Optional.empty()) : DecryptSpec.NONE;
        try (PassFixture f = new PassFixture(tmp, a -> AppSpecs.withDecrypt(a, spec))) {
            for (int i = 0; i < files.size(); i++) {
                f.repo.write("app/secret-" + i + ".yaml", files.get(i));
            }
            f.repo.commit("secrets");
            AppReconciler app = f.reconciler();
            long start = System.nanoTime();
            PassOutcome outcome = app.reconcile();
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (outcome != PassOutcome.APPLIED) {
                throw new IllegalStateException(
                        "pass ended " + outcome + ": " + app.status().errors());
            }
            return ms;
        }
    }

    private static Map<String, Object> secret(int i) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Secret");
        doc.put("metadata", new LinkedHashMap<>(Map.of("name", "s-" + i)));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("username", "user-" + i);
        data.put("password", "password-" + i + "-" + Long.toHexString(Double.doubleToLongBits(Math.random())));
        doc.put("stringData", data);
        return doc;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
