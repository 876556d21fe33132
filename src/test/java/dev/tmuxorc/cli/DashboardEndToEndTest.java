package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.testing.Browser;
import dev.tmuxorc.testing.DaemonBase;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (issue 11's "tested in a real browser"): the real daemon started by
 * {@code monitor start} on a private tmux server with fake Claude agents, the page opened in headless Chromium.
 * The page asks for the API token once; every agent is there; a state changed in a pane shows on the page without a reload; an agent's page shows its
 * screen as it changes; the page says it lost the daemon when it stops and catches up by itself when it is back.
 * Screenshots go to target/browser-screenshots/.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // a hang guard only
class DashboardEndToEndTest {

  private static final Path FAKE_AGENT = Path.of("loadtest", "agents", "fake-agent.sh").toAbsolutePath();
  /** The bound for a change to show: what a person would call "at once". */
  private static final Duration LIVE = Duration.ofSeconds(3);
  /** Generous, for what a loaded machine may make slow (start-up, reconnection); each wait ends when it holds. */
  private static final Duration PATIENCE = Duration.ofSeconds(45);
  private static final String TOKEN = "a-token-for-the-browser-test";

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  @RegisterExtension
  final DaemonBase daemons = new DaemonBase();

  @Test
  void thePageShowsTheFleetLiveFollowsAnAgentsScreenAndReconnectsAfterTheDaemonRestarts() throws Exception {
    String agent = "exec '" + FAKE_AGENT + "' --argv0 claude --layout top --interactive --react 600 --state idle";
    tmux.session("backend", "claude-api", agent);
    tmux.window("backend", "pm", agent);
    tmux.session("web", "claude-ui", agent);
    String api = tmux.paneId("backend:claude-api");
    String pm = tmux.paneId("backend:pm");
    String ui = tmux.paneId("web:claude-ui");
    Path config = Files.writeString(dir.resolve("test.conf"), String.join("\n",
        "tmux-orc.monitoring.check-interval = 2s",
        "tmux-orc.monitoring.report-interval = 1s",
        // detection's own delays short, so that the 3 s the issue allows are the page's, not the debounce's
        "tmux-orc.monitoring.idle-debounce = 300ms",
        "tmux-orc.monitoring.confirm-delay = 100ms",
        "tmux-orc.tmux.reconnect-backoff { min = 50ms, max = 200ms }",
        "tmux-orc.http.token = \"" + TOKEN + "\"", ""));
    int port = freePort();
    String url = start(port, config);
    assertEquals("http://127.0.0.1:" + port + "/", url, "monitor start prints the dashboard's URL");

    try (Browser browser = Browser.start(1400, 1000, false)) {
      browser.driver().get(url);

      // With a token configured the page asks for it, once: a wrong one is refused and asked again.
      browser.await(PATIENCE, "the token dialog", d -> d.findElement(By.id("token-dialog")).isDisplayed());
      giveToken(browser, "not-the-token");
      browser.await(PATIENCE, "the wrong token refused", d -> d.findElement(By.id("token-error")).isDisplayed()
          && d.findElement(By.id("token-dialog")).isDisplayed());
      giveToken(browser, TOKEN);

      // Every agent, grouped by session, idle; the PM marked; the connection live.
      browser.await(PATIENCE, "the page live", d -> "live".equals(browser.script("return document.body.dataset.connection")));
      for (String pane : List.of(api, pm, ui)) {
        awaitRowState(browser, pane, "idle", PATIENCE);
      }
      assertEquals(List.of("backend", "web"), browser.driver().findElements(By.cssSelector("#grid details.session"))
          .stream().map(s -> s.getAttribute("data-session")).toList());
      assertTrue(row(browser, pm).findElement(By.cssSelector(".pm")).isDisplayed(), "the PM is marked");
      assertTrue(text(browser, "#attention-title").startsWith("Nobody needs you"), text(browser, "#attention-title"));
      browser.screenshot("fleet");

      // A prompt typed into but not sent: the row turns unsubmitted and the agent heads "needs attention",
      // within 3 s and on the same page (a reload would lose the marker).
      browser.script("window.sameDocument = 'yes'");
      tmux.tmux("send-keys", "-t", ui, "-l", "half a thought");
      awaitRowState(browser, ui, "unsubmitted", LIVE);
      browser.await(LIVE, "the agent in the attention strip", d -> !d.findElements(
          By.cssSelector("#attention-list a[data-pane='" + ui + "']")).isEmpty());
      assertEquals("unsubmitted", row(browser, ui).findElement(By.cssSelector(".badge")).getText(),
          "the state in words, not only in colour");
      assertEquals("yes", browser.script("return window.sameDocument"), "no reload");
      browser.screenshot("attention");

      // The agent's page: its screen (what tmux shows), refreshed when it changes, and why it is unsubmitted.
      browser.driver().findElement(By.cssSelector("#attention-list a[data-pane='" + ui + "']")).click();
      browser.await(PATIENCE, "the agent's screen", d -> text(browser, "#screen").contains("half a thought"));
      tmux.tmux("send-keys", "-t", ui, "-l", ", finished");
      browser.await(PATIENCE, "the changed screen", d -> text(browser, "#screen").contains("half a thought, finished"));
      browser.await(PATIENCE, "the explanation", d -> text(browser, "#explain").contains("unsubmitted"));
      assertTrue(text(browser, "#cmd-attach").contains("attach -t " + ui), text(browser, "#cmd-attach"));
      assertTrue(text(browser, "#cmd-attach").contains("-L " + tmux.socket()), text(browser, "#cmd-attach"));
      browser.await(PATIENCE, "the timeline", d -> text(browser, "#timeline").contains("unsubmitted"));
      browser.screenshot("agent");

      // The daemon stops: the page says so. A change happens while it is away; once the daemon is back the page
      // reconnects by itself and shows it, still without a reload.
      browser.driver().navigate().to(url + "#/");
      ScanCommandTest.Run stop = ScanCommandTest.cli("monitor", "stop", "--timeout", "60s");
      assertEquals(0, stop.status(), stop.out() + stop.err());
      browser.await(PATIENCE, "the page reconnecting", d -> "reconnecting".equals(
          browser.script("return document.body.dataset.connection")));
      assertTrue(browser.driver().findElement(By.id("banner")).isDisplayed(), "the banner says so");
      browser.screenshot("reconnecting");
      tmux.tmux("send-keys", "-t", ui, "Enter");
      start(port, config);
      browser.await(PATIENCE, "the page live again", d -> "live".equals(
          browser.script("return document.body.dataset.connection")));
      awaitRowState(browser, ui, "working", PATIENCE);
      // ... from the event stream resumed after the last entry it had seen (Last-Event-ID), not only from a re-read
      Number resumedAfter = browser.script("const r = window.tmuxOrc.resumedAfter; return r[r.length - 1];");
      assertTrue(resumedAfter != null && resumedAfter.longValue() > 0, "resumed after an id: "
          + browser.script("return JSON.stringify([window.tmuxOrc.resumedAfter, window.tmuxOrc.lastEventId, "
          + "window.tmuxOrc.recent.slice(-5)])"));
      browser.await(PATIENCE, "the change made while away, on the resumed stream", d -> Boolean.TRUE.equals(
          browser.script("return window.tmuxOrc.recent.some(e => e.type === 'StateChanged' && e.paneId === arguments[0]"
              + " && e.to === 'working' && e.seq > arguments[1])", ui, resumedAfter.longValue())));
      assertTrue(!browser.driver().findElement(By.id("banner")).isDisplayed(), "the banner is gone");
      assertEquals("yes", browser.script("return window.sameDocument"), "still no reload");
      browser.screenshot("reconnected");

      // By keyboard alone: / finds, j moves to an agent, Enter opens it, Esc comes back.
      WebElement body = browser.driver().findElement(By.tagName("body"));
      body.sendKeys("/");
      browser.driver().switchTo().activeElement().sendKeys("claude-api");
      browser.await(PATIENCE, "the grid filtered", d -> d.findElements(By.cssSelector("#grid tr[data-pane]")).size() == 1);
      browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
      body.sendKeys("j");
      browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
      browser.await(PATIENCE, "the agent's page by keyboard", d -> d.getCurrentUrl().endsWith("#/agent/%25"
          + api.substring(1)));
      browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
      browser.await(PATIENCE, "back to the fleet", d -> d.findElement(By.id("fleet-page")).isDisplayed());

      // Dark, as chosen with the Theme button (auto -> light -> dark): readable, for the screenshot to show.
      WebElement theme = browser.driver().findElement(By.id("theme"));
      theme.click();
      theme.click();
      assertEquals("dark", browser.script("return document.documentElement.dataset.theme"));
      assertEquals("rgb(17, 19, 24)", browser.script("return getComputedStyle(document.body).backgroundColor"));
      browser.screenshot("fleet-dark");
    }
  }

  private static void giveToken(Browser browser, String token) {
    WebElement input = browser.driver().findElement(By.id("token-input"));
    input.clear();
    input.sendKeys(token, Keys.ENTER); // Enter submits the form as a person would
  }

  private String start(int port, Path config) {
    ScanCommandTest.Run start = ScanCommandTest.cli("monitor", "start", "--http-port", Integer.toString(port),
        "--timeout", "60s", "-L", tmux.socket(), "-c", config.toString());
    daemons.record();
    assertEquals(0, start.status(), start.out() + start.err());
    return start.out().lines().map(String::trim).filter(l -> l.startsWith("dashboard:"))
        .map(l -> l.substring("dashboard:".length()).trim().split("\\s+")[0]).findFirst()
        .orElseThrow(() -> new AssertionError("no dashboard URL in:\n" + start.out()));
  }

  private static void awaitRowState(Browser browser, String pane, String state, Duration patience) {
    browser.await(patience, pane + " " + state + " on the page", d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#grid tr[data-pane='" + pane + "']"));
      return !rows.isEmpty() && state.equals(rows.get(0).getAttribute("data-state"));
    });
  }

  private static WebElement row(Browser browser, String pane) {
    return browser.driver().findElement(By.cssSelector("#grid tr[data-pane='" + pane + "']"));
  }

  private static String text(Browser browser, String css) {
    List<WebElement> found = browser.driver().findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
