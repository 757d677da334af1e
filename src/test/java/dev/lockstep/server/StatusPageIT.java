package dev.lockstep.server;

import static dev.lockstep.testing.HelloApp.deployment;
import static dev.lockstep.testing.HelloApp.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.LeaderElection;
import dev.lockstep.reconcile.pass.AppHealth;
import dev.lockstep.reconcile.pass.AppStatus;
import dev.lockstep.testing.GitRepoFixture;
import dev.lockstep.testing.RealCluster;
import dev.lockstep.testing.TestApps;
import dev.lockstep.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in a real browser (Debian's chromium, driven through its chromedriver by Selenium), on the daemon
 * after the seed story: v1, v2, v3 fails, then {@code git revert}. It checks what a person reads: the app Healthy at
 * the revert commit, revision 4 "was 2" with the revert's subject, revision 3 failed; a past revision's pod template
 * against the current one; and a new commit appearing without a reload, pushed over {@code /events}.
 *
 * <p>Screenshots: {@code target/status-page.png} (1280 px wide, the README's picture) and
 * {@code target/status-page-400.png} (400 px). Selenium is given the driver and the browser binary, so Selenium Manager
 * never runs and nothing is downloaded. Skipped, with a message, where {@code /usr/bin/chromium} or
 * {@code /usr/bin/chromedriver} is missing; {@code .ci/run} installs both.
 */
@RealCluster
class StatusPageIT {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration ROLLOUT = Duration.ofSeconds(120);
    private static final Duration ON_PAGE = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of("target");

    @TempDir
    Path tmp;

    private KubernetesClient client;
    private Daemon daemon;
    private ChromeDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void theSeedStoryReadsOnThePageAndANewCommitAppearsWithoutAReload(TestCluster cluster) throws Exception {
        assumeTrue(
                CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
                        + "apt-get install chromium chromium-driver (.ci/run does)");
        boolean seleniumCacheBefore = Files.exists(seleniumCache());

        // 1. the seed story, through the daemon's loop
        cluster.keepImagesUnready(".*:v3$");
        GitRepoFixture repo = GitRepoFixture.create(tmp.resolve("repo"));
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v1")).write("app/service.yaml", service(0));
        String v1 = repo.commit("hello-app v1");
        startDaemon(cluster, repo);
        awaitApp(v1, AppHealth.HEALTHY, cluster);
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v2"));
        awaitApp(repo.commit("image v2"), AppHealth.HEALTHY, cluster);
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v3"));
        String v3 = repo.commit("image v3");
        awaitApp(v3, AppHealth.FAILED, cluster);
        String revert = repo.revert(v3);
        awaitApp(revert, AppHealth.HEALTHY, cluster);

        // 2. the page
        browser = chromium();
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get("http://127.0.0.1:" + daemon.httpPort() + "/");
        js("window.lockstepNotReloaded = true;");

        // 3. what a person reads
        waitFor("[data-app='hello']");
        await("the app Healthy at the revert commit").atMost(ON_PAGE).untilAsserted(() -> {
            assertThat(text("[data-app='hello'] .app-head .health")).isEqualTo("✓ Healthy");
            assertThat(text("[data-app='hello'] .fact-commit")).contains(revert.substring(0, 7), "Revert \"image v3\"");
            assertThat(text("[data-app='hello'] .fact-head")).contains("at the branch head");
        });
        await("revision 4 was 2, made by the revert; revision 3 failed")
                .atMost(ON_PAGE)
                .untilAsserted(() -> {
                    assertThat(text("li.rev[data-revision='4']"))
                            .contains("was 2", "current", revert.substring(0, 7), "Revert \"image v3\"")
                            .contains("080196/hello-app:v2")
                            .contains("rolled back to 2");
                    assertThat(attribute("li.rev[data-revision='4']", "class")).contains("current");
                    assertThat(text("li.rev[data-revision='3']")).contains(v3.substring(0, 7), "image v3", "failed");
                    assertThat(text("li.rev[data-revision='1']")).contains("hello-app v1", "rolled out");
                });
        assertThat(browser.findElements(By.cssSelector("li.rev[data-revision='2']")))
                .as("revision 2 became revision 4")
                .isEmpty();
        assertThat(text("[data-deployment$='/hello-app'] .bars")).contains("3/3");

        // a past revision against the current one
        await("the diff button of revision 3")
                .atMost(ON_PAGE)
                .ignoreExceptions()
                .untilAsserted(() -> browser.findElement(By.cssSelector("li.rev[data-revision='3'] .diff-btn"))
                        .click());
        await("the diff of revision 3 against revision 4").atMost(ON_PAGE).untilAsserted(() -> {
            assertThat(text("li.rev[data-revision='3'] pre.diff"))
                    .startsWith("--- revision 3 (hello-app-")
                    .contains("+++ revision 4 (hello-app-");
            assertThat(text("li.rev[data-revision='3'] pre.diff .del")).isEqualTo("- - image: 080196/hello-app:v3");
            assertThat(text("li.rev[data-revision='3'] pre.diff .add")).isEqualTo("+ - image: 080196/hello-app:v2");
        });
        screenshot(1280, TARGET.resolve("status-page.png"));

        // 4. a new commit appears without a reload
        repo.write("app/deployment.yaml", deployment("080196/hello-app:v4"));
        String v4 = repo.commit("image v4");
        await("the new commit and its revision on the page, pushed")
                .atMost(ROLLOUT)
                .untilAsserted(() -> {
                    assertThat(text("[data-app='hello'] .fact-commit")).contains(v4.substring(0, 7), "image v4");
                    assertThat(text("li.rev[data-revision='5']")).contains("image v4", "080196/hello-app:v4");
                });
        await("revision 5 rolled out")
                .atMost(ROLLOUT)
                .untilAsserted(
                        () -> assertThat(text("li.rev[data-revision='5']")).contains("rolled out"));
        assertThat(js("return window.lockstepNotReloaded === true;"))
                .as("the page was updated in place, not reloaded")
                .isEqualTo(true);
        assertThat(text("#conn")).isEqualTo("live");

        // 5. screenshots; and at 400 px everything is still there
        browser.navigate().refresh();
        waitFor("li.rev[data-revision='5']");
        screenshot(400, TARGET.resolve("status-page-400.png"));
        Object overflow = js("return document.documentElement.scrollWidth > window.innerWidth;");
        assertThat(overflow).as("no horizontal scrolling at 400 px").isEqualTo(false);
        assertThat(Files.exists(seleniumCache()))
                .as("Selenium Manager never ran (it would have made ~/.cache/selenium)")
                .isEqualTo(seleniumCacheBefore);
    }

    private static Path seleniumCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "selenium");
    }

    private void startDaemon(TestCluster cluster, GitRepoFixture repo) {
        client = new KubernetesClientBuilder().withConfig(cluster.config()).build();
        LockstepConfig config = TestApps.config(TestApps.hello(repo, cluster.namespace()), tmp.resolve("cache"));
        daemon = new Daemon(
                        config,
                        client,
                        Clock.systemUTC(),
                        Optional.empty(),
                        LeaderElection.Timing.standard(),
                        List.of())
                .start();
    }

    private void awaitApp(String commit, AppHealth health, TestCluster cluster) {
        await().atMost(ROLLOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            AppStatus s = daemon.loop().statuses().get(0);
            assertThat(s.commit()).isEqualTo(commit);
            assertThat(s.health()).as(s + "\n" + cluster.describeNamespace()).isEqualTo(health);
        });
    }

    /** Debian's chromium through Debian's chromedriver, both named explicitly: Selenium Manager has nothing to find. */
    private ChromeDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private WebElement waitFor(String css) {
        return await(css + " on the page")
                .atMost(ON_PAGE)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.cssSelector(css)), e -> e != null);
    }

    /**
     * The text a person sees in the first element matching {@code css}, "" when there is none. Read in one script: the
     * page re-renders on every pushed update, so an element found first and read later may be gone by then.
     */
    private String text(String css) {
        Object text = js("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return String.valueOf(text).replaceAll("\\s+", " ").strip(); // flex items come out on lines of their own
    }

    private String attribute(String css, String name) {
        return String.valueOf(js(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : '';",
                css,
                name));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The whole page at {@code width}: the window is made as tall as the page first. */
    private void screenshot(int width, Path file) throws Exception {
        browser.manage().window().setSize(new Dimension(width, 900));
        Number height = (Number) js("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(width, Math.min(height.intValue() + 140, 5000)));
        js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
        Files.createDirectories(file.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(file)).as(file + " written").isGreaterThan(10_000L);
    }
}
