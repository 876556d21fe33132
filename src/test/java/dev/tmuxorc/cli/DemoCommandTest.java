package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code tmux-orc demo} tells people once it runs (the demo itself needs a fleet: cds-archive.sh runs it). */
class DemoCommandTest {

  private static String banner(String api, Optional<String> dashboard) {
    StringWriter out = new StringWriter();
    DemoCommand.banner(new PrintWriter(out, true), 6, "tmux-orc-demo", api, dashboard);
    return out.toString();
  }

  @Test
  void theBannerNamesTheApiAndTheDashboard() {
    String url = "http://127.0.0.1:41234";
    String text = banner(url, Optional.of(DashboardUrl.shown(url, false)));
    // src/build/cds-archive.sh finds the port in the API line
    assertTrue(text.contains("  API:         http://127.0.0.1:41234/api/agents "), text);
    assertTrue(text.contains("\n  dashboard:   http://127.0.0.1:41234/\n"), text);
    assertTrue(text.contains("tmux -L tmux-orc-demo attach -t sim-1"), text);
  }

  @Test
  void withATokenItSaysThePageAsksForIt() {
    String url = "http://127.0.0.1:41234";
    assertTrue(banner(url, Optional.of(DashboardUrl.shown(url, true)))
        .contains("dashboard:   http://127.0.0.1:41234/   (the page asks for the token, tmux-orc.http.token)"));
  }

  @Test
  void withoutAnApiThereIsNoDashboardLine() {
    assertFalse(banner("(not served: port in use)", Optional.empty()).contains("dashboard"));
  }
}
