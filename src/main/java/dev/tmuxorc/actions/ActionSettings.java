package dev.tmuxorc.actions;

import static dev.tmuxorc.config.ConfigValues.atLeast;
import static dev.tmuxorc.config.ConfigValues.invalid;
import static dev.tmuxorc.config.ConfigValues.notNegative;
import static dev.tmuxorc.config.ConfigValues.positive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.tmuxorc.config.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code tmux-orc.actions} settings (reference.conf documents each), read and validated once. */
public record ActionSettings(boolean dryRun, Typing typing, PmReports pmReports, AutoSubmit autoSubmit,
    Recovery recovery, RateLimit rateLimit, People people) {

  /** How text is typed into a pane and checked. */
  public record Typing(Duration settle, int checks, int attempts) { }

  /** Reports to the PM: per-reason cooldowns by reason name (idle, crashed, missing...). */
  public record PmReports(boolean enabled, Duration interval, Duration grace, Map<String, Duration> cooldowns,
      Duration teamIdleAfter) { }

  public record AutoSubmit(boolean enabled, Duration after, int attempts, Duration spacing) { }

  public record Recovery(boolean enabled, String command, boolean resumeSession, String briefing, boolean includePm,
      int maxRestarts, Duration per, Duration spacing, Storm storm) { }

  /** Crashes of many agents within a window: waited out, then restarted together once. */
  public record Storm(int crashes, Duration window, Duration waitFor) { }

  /** {@code accounts}: each account's name and the patterns of its agents (target, session or window name). */
  public record RateLimit(boolean resume, String message, Duration margin, Map<String, List<String>> accounts) { }

  public record People(List<URI> webhooks, String command, boolean desktop, Duration escalateAfter) { }

  private static final String ROOT = "tmux-orc.actions.";

  /** The defaults of reference.conf: every action off. */
  public static ActionSettings defaults() {
    return from(com.typesafe.config.ConfigFactory.defaultReference().resolve());
  }

  /**
   * Reads the {@code tmux-orc.actions} tree of a resolved config.
   *
   * @throws SettingsException naming the full key of a bad value
   */
  public static ActionSettings from(Config root) {
    try {
      return new ActionSettings(root.getBoolean(ROOT + "dry-run"),
          new Typing(positive(root, ROOT + "typing.settle"), atLeast(root, ROOT + "typing.checks", 1),
              atLeast(root, ROOT + "typing.attempts", 1)),
          pmReports(root),
          new AutoSubmit(root.getBoolean(ROOT + "auto-submit.enabled"), positive(root, ROOT + "auto-submit.after"),
              atLeast(root, ROOT + "auto-submit.attempts", 1), positive(root, ROOT + "auto-submit.spacing")),
          new Recovery(root.getBoolean(ROOT + "recovery.enabled"), root.getString(ROOT + "recovery.command"),
              root.getBoolean(ROOT + "recovery.resume-session"), root.getString(ROOT + "recovery.briefing"),
              root.getBoolean(ROOT + "recovery.include-pm"), atLeast(root, ROOT + "recovery.max-restarts", 1),
              positive(root, ROOT + "recovery.per"), notNegative(root, ROOT + "recovery.spacing"),
              new Storm(atLeast(root, ROOT + "recovery.storm.crashes", 2), positive(root, ROOT + "recovery.storm.window"),
                  notNegative(root, ROOT + "recovery.storm.wait"))),
          new RateLimit(root.getBoolean(ROOT + "rate-limit.resume"), message(root),
              notNegative(root, ROOT + "rate-limit.margin"), accounts(root)),
          people(root));
    } catch (ConfigException e) {
      throw new SettingsException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static PmReports pmReports(Config root) {
    Map<String, Duration> cooldowns = new LinkedHashMap<>();
    Config config = root.getConfig(ROOT + "pm-reports.cooldowns");
    java.util.Set<String> known = java.util.Arrays.stream(Reason.values()).map(Reason::cooldownKey)
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    for (String reason : config.root().keySet()) {
      if (!known.contains(reason)) {
        throw invalid(ROOT + "pm-reports.cooldowns." + reason, "no such reason (expected one of " + known + ")");
      }
      cooldowns.put(reason, notNegative(root, ROOT + "pm-reports.cooldowns." + reason));
    }
    return new PmReports(root.getBoolean(ROOT + "pm-reports.enabled"), positive(root, ROOT + "pm-reports.interval"),
        notNegative(root, ROOT + "pm-reports.grace"), Map.copyOf(cooldowns), positive(root, ROOT + "pm-reports.team-idle-after"));
  }

  private static Map<String, List<String>> accounts(Config root) {
    Map<String, List<String>> accounts = new LinkedHashMap<>();
    Config config = root.getConfig(ROOT + "rate-limit.accounts");
    for (String name : config.root().keySet()) {
      String key = ROOT + "rate-limit.accounts.\"" + name + "\"";
      List<String> patterns = root.getStringList(key);
      if (patterns.isEmpty() || patterns.stream().anyMatch(String::isBlank)) {
        throw invalid(ROOT + "rate-limit.accounts." + name, "a list of targets, sessions or window names");
      }
      accounts.put(name, List.copyOf(patterns));
    }
    return Map.copyOf(accounts);
  }

  // Typed into an agent's prompt: one line of text, no control characters.
  private static String message(Config root) {
    String message = root.getString(ROOT + "rate-limit.message");
    if (message.isBlank() || message.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw invalid(ROOT + "rate-limit.message", "must be one line of text, got '" + message + "'");
    }
    return message;
  }

  private static People people(Config root) {
    List<URI> webhooks = new ArrayList<>();
    for (String url : root.getStringList(ROOT + "people.webhooks")) {
      URI uri;
      try {
        uri = URI.create(url.trim());
      } catch (IllegalArgumentException e) {
        throw invalid(ROOT + "people.webhooks", "not a URL: '" + url + "'");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw invalid(ROOT + "people.webhooks", "not an http(s) URL: '" + url + "'");
      }
      webhooks.add(uri);
    }
    return new People(List.copyOf(webhooks), root.getString(ROOT + "people.command"),
        root.getBoolean(ROOT + "people.desktop"), positive(root, ROOT + "people.escalate-after"));
  }
}
