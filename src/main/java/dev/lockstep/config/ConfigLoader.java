package dev.lockstep.config;

import dev.lockstep.git.GitCredentials;
import dev.lockstep.git.RepoSpec;
import dev.lockstep.git.SecretSource;
import dev.lockstep.manifest.YamlProblems;
import dev.lockstep.model.MetadataKeys;
import dev.lockstep.model.ServiceAccountRef;
import dev.lockstep.render.RenderSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/** Loads the daemon's YAML configuration and validates all of it at once, naming each bad field. */
public final class ConfigLoader {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    private static final int MAX_ALIASES = 10;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final Map<String, String> env;

    /** Secrets named by environment variable are looked up in this process's environment. */
    public ConfigLoader() {
        this(System.getenv());
    }

    ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * The daemon's config file, checked whole: its fields, and every file it names (tokens, secrets, keys, CA) read now
     * and every secret's environment variable set, so a missing one is a config error before anything is written to
     * the cluster.
     */
    public LockstepConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return read(file.toString(), text, file.toAbsolutePath().getParent(), true);
    }

    /**
     * Config text checked on its own: the files and variables it names are not looked at, as for a config that will
     * run elsewhere (the ConfigMap in config/deploy names files mounted in the pod).
     */
    public LockstepConfig parse(String source, String yaml, Path baseDir) throws ConfigException {
        return read(source, yaml, baseDir, false);
    }

    private LockstepConfig read(String source, String yaml, Path baseDir, boolean readNamedFiles)
            throws ConfigException {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(MAX_ALIASES);
            SafeConstructor constructor = new SafeConstructor(options);
            constructor.setAllowDuplicateKeys(false);
            root = new Yaml(constructor).load(yaml);
        } catch (RuntimeException e) { // not only YAMLException: e.g. "!!int x" fails with NumberFormatException
            throw new ConfigException(source, List.of(yamlProblem(source, e)));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException(source, List.of("(top level): must be a mapping with an 'apps' list"));
        }
        List<String> problems = new ArrayList<>();
        NamedFiles named = new NamedFiles();
        FieldReader top = new FieldReader("", map, problems, named);
        String stateNamespace = top.string("stateNamespace").orElse("lockstep-system");
        Path cacheDir = top.string("cacheDir")
                .map(p -> resolve(baseDir, p))
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "lockstep-cache"));
        int applyConcurrency = top.integer("applyConcurrency", 8, 1, 256);
        boolean sharding = top.bool("sharding", false);
        int port = 8080;
        Optional<Path> webhookSecret = Optional.empty();
        Optional<Path> uiToken = Optional.empty();
        Optional<String> externalUrl = Optional.empty();
        Optional<FieldReader> http = top.object("http");
        if (http.isPresent()) {
            port = http.get().integer("port", 8080, 0, 65535);
            webhookSecret = http.get().file("webhookSecretFile", baseDir, NamedFiles.Kind.SECRET);
            uiToken = http.get().file("uiTokenFile", baseDir, NamedFiles.Kind.SECRET);
            externalUrl = http.get().string("externalUrl");
            if (externalUrl.isPresent() && !NotificationsReader.isHttpUrl(externalUrl.get())) {
                http.get().problem("externalUrl", "must be an http:// or https:// url");
            }
            http.get().rejectUnknown();
        }
        List<AppSpec> apps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<FieldReader> appReaders = top.objects("apps");
        if (appReaders.isEmpty() && map.get("apps") == null) {
            problems.add("apps: required (a list of apps to reconcile)");
        }
        for (FieldReader app : appReaders) {
            AppSpec spec = app(app, baseDir);
            if (!spec.name().isEmpty() && !names.add(spec.name())) {
                problems.add(app.field("name") + ": duplicate app name '" + spec.name() + "'");
            }
            apps.add(spec);
        }
        List<NotificationSpec> notifications = NotificationsReader.read(top.objects("notifications"), baseDir, apps);
        top.rejectUnknown();
        if (!DNS_LABEL.matcher(stateNamespace).matches()) {
            problems.add("stateNamespace: '" + stateNamespace + "' is not a valid namespace name");
        }
        if (readNamedFiles) {
            problems.addAll(named.problems(env));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new LockstepConfig(
                apps,
                cacheDir,
                stateNamespace,
                port,
                webhookSecret,
                applyConcurrency,
                uiToken,
                sharding,
                new NotificationSettings(externalUrl, notifications));
    }

    /**
     * {@code "<source>:<line>:<column>: not valid YAML: <context>: <problem>"}, built from the parts that carry no file
     * content: getMessage() of a marked error quotes the source line, which may hold a url with credentials.
     */
    private static String yamlProblem(String source, RuntimeException e) {
        if (e instanceof MarkedYAMLException m) {
            Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
            String where = mark == null ? source : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            return where + ": not valid YAML: " + YamlProblems.describe(m);
        }
        if (e instanceof ReaderException r) {
            return source + ": not valid YAML: "
                    + String.format("special character U+%04X is not allowed", r.getCodePoint());
        }
        if (String.valueOf(e.getMessage()).startsWith("Number of aliases")) {
            return source + ": not valid YAML: too many aliases to mappings or sequences (limit " + MAX_ALIASES + ")";
        }
        // anything else may quote a value (e.g. "Unexpected timestamp: <value>"): name only the kind of error
        return source + ": not valid YAML (" + e.getClass().getSimpleName() + ")";
    }

    private AppSpec app(FieldReader r, Path baseDir) {
        String name = r.requiredString("name");
        if (!name.isEmpty() && (!DNS_LABEL.matcher(name).matches() || name.length() > 40)) {
            r.problem(
                    "name",
                    "'" + name + "' must be a lowercase DNS label of at most 40 characters (it names a ConfigMap)");
        }
        RepoSpec repo = r.object("repo")
                .map(repoReader -> repo(repoReader, baseDir))
                .orElseGet(() -> {
                    r.problem("repo", "required (url, branch and credentials of the git repository)");
                    return new RepoSpec("", "main", GitCredentials.none());
                });
        String path = r.string("path").orElse(".");
        String namespace = r.requiredString("namespace");
        if (!namespace.isEmpty() && !DNS_LABEL.matcher(namespace).matches()) {
            r.problem("namespace", "'" + namespace + "' is not a valid namespace name");
        }
        Duration interval = r.duration("interval", DEFAULT_INTERVAL, DurationRange.INTERVAL);
        boolean prune = r.bool("prune", true);
        boolean selfHeal = r.bool("selfHeal", true);
        Set<String> allowedNamespaces = r.strings("allowedNamespaces");
        Set<String> allowedClusterKinds = r.strings("allowedClusterKinds");
        double maxPruneShare = r.fraction("maxPruneShare", 0.5);
        boolean allowMassPrune = r.bool("allowMassPrune", false);
        WriteBackSettings writeBack = WriteBackSettings.read(r, baseDir);
        Optional<ServiceAccountRef> serviceAccount = serviceAccount(r, namespace);
        TrustSpec trust = TrustSettings.read(r, baseDir);
        Set<String> adoptFieldManagers = r.strings("adoptFieldManagers");
        if (adoptFieldManagers.stream().anyMatch(m -> m.isBlank() || m.equals(MetadataKeys.FIELD_MANAGER))) {
            r.problem("adoptFieldManagers", "names other field managers (not empty, not lockstep itself)");
        }
        RenderSpec render = RenderSettings.read(r);
        DecryptSpec decrypt = DecryptSettings.read(r, baseDir);
        r.rejectUnknown();
        return new AppSpec(
                name,
                repo,
                path,
                namespace,
                interval,
                prune,
                selfHeal,
                allowedNamespaces,
                allowedClusterKinds,
                maxPruneShare,
                allowMassPrune,
                writeBack.writeBack(),
                writeBack.onFailedRollout(),
                writeBack.onManualRollback(),
                serviceAccount,
                trust,
                adoptFieldManagers,
                render,
                decrypt);
    }

    /**
     * {@code serviceAccountName} (+ optional {@code serviceAccountNamespace}, default the app's target namespace, where
     * a tenant's ServiceAccount usually lives next to what it may write).
     */
    private static Optional<ServiceAccountRef> serviceAccount(FieldReader r, String appNamespace) {
        Optional<String> name = r.string("serviceAccountName");
        Optional<String> namespace = r.string("serviceAccountNamespace");
        if (name.isEmpty()) {
            namespace.ifPresent(ns -> r.problem("serviceAccountNamespace", "needs serviceAccountName"));
            return Optional.empty();
        }
        if (!DNS_SUBDOMAIN.matcher(name.get()).matches()) {
            r.problem("serviceAccountName", "'" + name.get() + "' is not a valid ServiceAccount name");
        }
        String ns = namespace.orElse(appNamespace);
        if (namespace.isPresent() && !DNS_LABEL.matcher(ns).matches()) {
            r.problem("serviceAccountNamespace", "'" + ns + "' is not a valid namespace name");
        }
        return Optional.of(new ServiceAccountRef(ns, name.get()));
    }

    private RepoSpec repo(FieldReader r, Path baseDir) {
        String url = r.requiredString("url");
        if (!url.isEmpty()
                && !(url.startsWith("https://")
                        || url.startsWith("http://")
                        || url.startsWith("ssh://")
                        || url.startsWith("file://")
                        || url.startsWith("git@"))) {
            r.problem("url", "must start with https://, ssh://, git@ or file://");
        }
        if (url.matches("^[a-z]+://[^/@]+:[^/@]+@.*")) {
            r.problem("url", "must not contain a password; use passwordFile, passwordEnv, tokenFile or tokenEnv");
        }
        String branch = r.string("branch").orElse("main");
        Optional<String> username = r.string("username");
        // both are read, so setting both is reported as such rather than as an unknown field
        Optional<SecretSource> token = secret(r, baseDir, "token");
        Optional<SecretSource> password = secret(r, baseDir, "password");
        if (token.isPresent() && password.isPresent()) {
            r.problem(
                    secretField("password", password.get()),
                    "set either a token (tokenFile/tokenEnv) or a password (passwordFile/passwordEnv), not both");
        }
        Optional<SecretSource> secret = token.or(() -> password);
        Optional<Path> sshKey = r.file("sshKeyFile", baseDir, NamedFiles.Kind.FILE);
        Optional<Path> knownHosts = r.file("knownHostsFile", baseDir, NamedFiles.Kind.FILE);
        Optional<Path> caFile = r.file("caFile", baseDir, NamedFiles.Kind.FILE);
        if (caFile.isPresent() && !url.isEmpty() && !url.startsWith("https://")) {
            r.problem("caFile", "only applies to https:// urls (the CA that signed the git server's certificate)");
        }
        boolean insecureHttp = r.bool("insecureHttp", false);
        if (insecureHttp && !url.isEmpty() && !url.startsWith("http://")) {
            r.problem("insecureHttp", "only applies to http:// urls");
        }
        if (secret.isPresent() && !url.isEmpty()) {
            String field =
                    token.isPresent() ? secretField("token", token.get()) : secretField("password", secret.get());
            if (sshKey.isPresent() || knownHosts.isPresent()) {
                r.problem(
                        field,
                        "ambiguous with sshKeyFile: set either sshKeyFile and knownHostsFile (ssh) or a token or "
                                + "password (https), not both");
            } else if (url.startsWith("http://") && !insecureHttp) {
                r.problem(
                        field,
                        "would be sent in clear to an http:// url; use https://, or set repo.insecureHttp: true to "
                                + "send it unencrypted anyway");
            } else if (!url.startsWith("http://") && !url.startsWith("https://")) {
                r.problem(field, "is sent only to https:// (or http://) urls; it would be ignored for this url");
            }
        }
        r.rejectUnknown();
        GitCredentials credentials = GitCredentials.none();
        if (sshKey.isPresent() || knownHosts.isPresent()) {
            if (sshKey.isEmpty() || knownHosts.isEmpty()) {
                r.problem("sshKeyFile", "ssh needs both sshKeyFile and knownHostsFile (host keys are always checked)");
            } else {
                credentials = GitCredentials.ssh(sshKey.get(), knownHosts.get());
            }
        } else if (secret.isPresent()) {
            // a username with a token sends the token as that user's password (GitLab wants "oauth2", Bitbucket
            // "x-token-auth"); without one a token goes with GitCredentials.TOKEN_USERNAME
            credentials = username.isPresent()
                    ? GitCredentials.usernamePassword(username.get(), secret.get())
                    : GitCredentials.token(secret.get());
        }
        return new RepoSpec(url, branch, credentials, caFile);
    }

    /** The key a secret was read from: {@code tokenFile}, {@code passwordEnv}, ... */
    private static String secretField(String prefix, SecretSource source) {
        return prefix + (source instanceof SecretSource.FromFile ? "File" : "Env");
    }

    private Optional<SecretSource> secret(FieldReader r, Path baseDir, String prefix) {
        Optional<Path> file = r.file(prefix + "File", baseDir, NamedFiles.Kind.SECRET);
        Optional<String> variable = r.variable(prefix + "Env");
        if (file.isPresent() && variable.isPresent()) {
            r.problem(prefix + "File", "set either " + prefix + "File or " + prefix + "Env, not both");
        }
        if (file.isPresent()) {
            return Optional.of(new SecretSource.FromFile(file.get()));
        }
        return variable.map(SecretSource.FromEnv::new);
    }

    static Path resolve(Path baseDir, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
    }
}
