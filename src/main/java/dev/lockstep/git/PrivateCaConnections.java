package dev.lockstep.git;

import dev.lockstep.git.GitSourceException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's JDK http connections for one repository, trusting the system's CAs plus the certificates in that repository's
 * {@code repo.caFile}. Installed per transport (TransportHttp.setHttpConnectionFactory), so neither JGit's global
 * connection factory nor the JVM's default trust store or SSLContext ever changes, and no other repository trusts
 * the file's CAs.
 */
final class PrivateCaConnections implements HttpConnectionFactory {
    private final JDKHttpConnectionFactory plain = new JDKHttpConnectionFactory();
    private final TrustManager[] trust;

    private PrivateCaConnections(TrustManager[] trust) {
        this.trust = trust;
    }

    /** Reads the PEM file now, so a CA replaced in place applies from the next command on. */
    static PrivateCaConnections load(Path caFile) throws GitSourceException {
        List<X509Certificate> cas = read(caFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : systemCas()) {
                store.setCertificateEntry("system-" + n++, ca);
            }
            for (X509Certificate ca : cas) {
                store.setCertificateEntry("repo-ca-" + n++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return new PrivateCaConnections(factory.getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new GitSourceException(Kind.CONFIG, "repo.caFile " + caFile + ": cannot build a trust store: " + e);
        }
    }

    private static List<X509Certificate> read(Path caFile) throws GitSourceException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new GitSourceException(Kind.CONFIG, "repo.caFile " + caFile + " is not readable: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new GitSourceException(
                    Kind.CONFIG, "repo.caFile " + caFile + " does not hold PEM certificates: " + e.getMessage());
        }
        List<X509Certificate> cas = new ArrayList<>();
        for (Certificate c : certificates) {
            if (c instanceof X509Certificate x509) {
                cas.add(x509);
            }
        }
        if (cas.isEmpty()) {
            throw new GitSourceException(
                    Kind.CONFIG,
                    "repo.caFile " + caFile + " holds no certificate (expected PEM, \"BEGIN CERTIFICATE\")");
        }
        return cas;
    }

    /** The CAs the JVM trusts by default (its cacerts, or javax.net.ssl.trustStore when set). */
    private static List<X509Certificate> systemCas() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> cas = new ArrayList<>();
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                cas.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return cas;
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return configured(plain.create(url), url);
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        return configured(plain.create(url, proxy), url);
    }

    private HttpConnection configured(HttpConnection connection, URL url) throws IOException {
        if ("https".equalsIgnoreCase(url.getProtocol())) {
            try {
                connection.configure(null, trust, null);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS for " + url.getHost() + ": " + e.getMessage(), e);
            }
        }
        return connection;
    }
}
