package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.ConfigFiles;
import dev.tmuxorc.actions.ActionSettings;
import dev.tmuxorc.app.Surfaces;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc config check}: loads and validates the configuration, and shows where each value came from. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {
        "Load the configuration as the monitor would (--config FILE, else $TMUX_ORC_CONFIG, else "
            + "~/.tmux-orchestrator/application.conf, over the built-in defaults, with the TMUX_ORC_* environment "
            + "overrides) and validate it.",
        "Prints warnings for unknown keys (with the closest valid key), then every effective tmux-orc setting and "
            + "where it came from: a file and line, an environment variable, system properties or the default.",
        "Exit status 0 when valid, 2 when invalid (the message names the key)."})
final class ConfigCheckCommand implements Callable<Integer> {

  private static final String DETECTION = "tmux-orc.detection.";

  @ParentCommand
  ConfigCommand config;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object: file, valid, error, warnings, settings "
      + "(key -> {value, origin}).")
  boolean json;

  @Option(names = "--all", description = "Also list the screen markers (tmux-orc.detection.*), which are long.")
  boolean all;

  @Override
  public Integer call() throws Exception {
    GlobalOptions global = config.main.global;
    Launcher.logLevel(global, true);
    PrintWriter out = spec.commandLine().getOut();
    Optional<Path> file = ConfigFiles.locate(global.configFile(), System.getenv(), BaseDir.current());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("file", file.map(Path::toString).orElse(null));
    ConfigFiles.Loaded loaded;
    String error = null;
    try {
      loaded = ConfigFiles.load(file, Launcher.flags(global, Map.of()), System.getenv());
      Settings.from(loaded.config());
      Surfaces.from(loaded.config());
      ActionSettings.from(loaded.config());
    } catch (SettingsException e) {
      loaded = null;
      error = e.getMessage();
    }
    if (json) {
      result.put("valid", error == null);
      result.put("error", error);
      result.put("warnings", loaded == null ? List.of() : loaded.warnings());
      if (loaded != null) {
        Map<String, Object> settings = new LinkedHashMap<>();
        leaves(loaded.config()).forEach((key, value) -> settings.put(key,
            Map.of("value", secret(key, value) ? REDACTED : value.unwrapped() == null ? "null" : value.unwrapped(),
                "origin", origin(value))));
        result.put("settings", settings);
      }
      out.println(Json.PRETTY.writeValueAsString(result));
      out.flush();
      return error == null ? 0 : 2;
    }
    if (error != null) {
      spec.commandLine().getErr().println("tmux-orc: " + error);
      return 2;
    }
    out.println("configuration: " + file.map(Path::toString).orElse("built-in defaults only"));
    loaded.warnings().forEach(w -> out.println("warning: " + w));
    out.println("valid");
    out.println();
    int hidden = 0;
    for (Map.Entry<String, ConfigValue> e : leaves(loaded.config()).entrySet()) {
      if (!all && e.getKey().startsWith(DETECTION)) {
        hidden++;
        continue;
      }
      out.println(e.getKey() + " = " + (secret(e.getKey(), e.getValue()) ? REDACTED : render(e.getValue()))
          + "   # " + origin(e.getValue()));
    }
    if (hidden > 0) {
      out.println("(" + hidden + " screen-marker keys under " + DETECTION + "* not shown: --all shows them)");
    }
    out.flush();
    return 0;
  }

  private static Map<String, ConfigValue> leaves(Config config) {
    Map<String, ConfigValue> leaves = new TreeMap<>();
    config.withOnlyPath("tmux-orc").entrySet().forEach(e -> leaves.put(e.getKey(), e.getValue()));
    return leaves;
  }

  /** HOCON, with the quotes left off the plain words and durations that need none (as a user writes them). */
  static final String REDACTED = "(set, not shown)";

  // A token is a password: config check output ends up in terminals, tickets and CI logs.
  static boolean secret(String key, ConfigValue value) {
    return key.endsWith(".token") && value.unwrapped() instanceof String text && !text.isEmpty();
  }

  static String render(ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING && ((String) value.unwrapped()).matches("[A-Za-z0-9._@/*-]+")) {
      return (String) value.unwrapped();
    }
    return value.render(ConfigRenderOptions.concise());
  }

  /** "default" for the built-in files, else Typesafe's own description (file: line, env variables, ...). */
  static String origin(ConfigValue value) {
    String description = value.origin().description();
    if (description == null) {
      return "unknown";
    }
    if (description.startsWith("reference.conf") || description.startsWith("tmux-orc-detection.conf")) {
      return "default";
    }
    if (description.startsWith("env variables")) {
      return "environment (a ${?TMUX_ORC_...} of reference.conf)";
    }
    return description.replaceFirst("^merge of ", "");
  }
}
