package dev.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** pom.xml declares what the code imports directly, so an upgrade of whatever brought it cannot silently change it. */
class PomTest {

    @Test
    void jackson3IsDeclaredDirectlyAtTheVersionOnTheClasspath() throws Exception {
        // server.Responses and cluster.ConfigMapAppRecords import tools.jackson.*, which fabric8 also brings
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();

        String property = xpath.evaluate("/project/properties/jackson3.version", pom);
        assertThat(property)
                .as("property jackson3.version")
                .isNotBlank()
                .isEqualTo(tools.jackson.databind.cfg.PackageVersion.VERSION.toString())
                .isEqualTo(tools.jackson.core.json.PackageVersion.VERSION.toString());
        for (String artifact : new String[] {"jackson-databind", "jackson-core"}) {
            assertThat(xpath.evaluate(
                            "/project/dependencies/dependency[groupId='tools.jackson.core' and artifactId='" + artifact
                                    + "']/version",
                            pom))
                    .as(artifact)
                    .isEqualTo("${jackson3.version}");
        }
    }
}
