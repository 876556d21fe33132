package dev.tmuxorc.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Claude Code {@code settings.json} as {@code hooks install} edits it: tmux-orc's hook handlers added or removed,
 * everything else (other hooks, other keys, their order) kept as it was.
 */
public final class ClaudeSettings {

  /** The events tmux-orc listens to. */
  public static final List<String> EVENTS = List.of("SessionStart", "UserPromptSubmit", "PreToolUse",
      "PostToolUse", "PermissionRequest", "Notification", "Stop", "StopFailure", "SubagentStop", "PreCompact",
      "SessionEnd");

  /** Events whose matcher is a tool name: ours matches every tool. Other events' groups have no matcher (all). */
  private static final List<String> TOOL_EVENTS = List.of("PreToolUse", "PostToolUse", "PermissionRequest");

  /** Where the user's settings live instead of {@code ~/.claude}: tests set it. */
  public static final String CONFIG_DIR_PROPERTY = "tmuxorc.claudeConfigDir";

  private static final DateTimeFormatter BACKUP_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  // As Claude Code and JSON.stringify(settings, null, 2) write it: two spaces, "key": value, [] and {}.
  static final ObjectWriter WRITER = Json.MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
      .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("")
      .withArrayEmptySeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private final Path file;
  private final Optional<String> original;
  private final ObjectNode root;

  private ClaudeSettings(Path file, Optional<String> original, ObjectNode root) {
    this.file = file;
    this.original = original;
    this.root = root;
  }

  /** One of our handlers, under the event it is configured for. */
  public record Entry(String event, HookForm form, String target) { }

  /**
   * The user's settings file: {@code -Dtmuxorc.claudeConfigDir}, else {@code $CLAUDE_CONFIG_DIR} (where Claude
   * Code keeps its configuration when set), else {@code ~/.claude}; then {@code settings.json}.
   */
  public static Path userFile(Map<String, String> env) {
    String property = System.getProperty(CONFIG_DIR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property, "settings.json");
    }
    String fromEnv = env.get("CLAUDE_CONFIG_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv, "settings.json");
    }
    return Path.of(System.getProperty("user.home"), ".claude", "settings.json");
  }

  /** A project's shared settings file. */
  public static Path projectFile(Path projectDir) {
    return projectDir.resolve(".claude").resolve("settings.json");
  }

  /**
   * Reads {@code file}; an absent or empty one is an empty object.
   *
   * @throws SettingsException when it is not a JSON object (nothing may then be written over it)
   */
  public static ClaudeSettings read(Path file) {
    try {
      if (!Files.exists(file)) {
        return new ClaudeSettings(file, Optional.empty(), Json.MAPPER.createObjectNode());
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (text.isBlank()) {
        return new ClaudeSettings(file, Optional.of(text), Json.MAPPER.createObjectNode());
      }
      JsonNode parsed = Json.MAPPER.readTree(text);
      if (!(parsed instanceof ObjectNode object)) {
        throw new SettingsException(file + " is not a JSON object: left as it is");
      }
      return new ClaudeSettings(file, Optional.of(text), object);
    } catch (JsonProcessingException e) {
      throw new SettingsException(file + " is not valid JSON (" + e.getOriginalMessage() + "): left as it is", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  public boolean exists() {
    return original.isPresent();
  }

  /** Our handlers, event by event. */
  public List<Entry> ours() {
    List<Entry> entries = new ArrayList<>();
    if (root.get("hooks") instanceof ObjectNode hooks) {
      hooks.properties().forEach(event -> eachHandler(event.getValue(), handler ->
          HookForm.ofOurs(handler).ifPresent(form ->
              entries.add(new Entry(event.getKey(), form, HookForm.target(handler))))));
    }
    return entries;
  }

  /**
   * Makes {@code handler} our only handler for each of {@link #EVENTS}: an event that has exactly it already is
   * left alone; elsewhere ours are removed and one group with it appended after everyone else's.
   *
   * @return whether anything changed
   */
  public boolean install(ObjectNode handler) {
    if (root.has("hooks") && !(root.get("hooks") instanceof ObjectNode)) {
      throw new SettingsException(file + ": \"hooks\" is not an object: left as it is");
    }
    ObjectNode hooks = root.has("hooks") ? (ObjectNode) root.get("hooks") : root.putObject("hooks");
    boolean changed = false;
    for (String event : EVENTS) {
      ObjectNode group = group(event, handler);
      JsonNode groups = hooks.get(event);
      if (groups != null && !(groups instanceof ArrayNode)) {
        throw new SettingsException(file + ": hooks." + event + " is not a list: left as it is");
      }
      if (groups != null && onlyOurs(groups).equals(List.of(group))) {
        continue;
      }
      ArrayNode list = groups == null ? hooks.putArray(event) : (ArrayNode) groups;
      removeOurs(list);
      list.add(group);
      changed = true;
    }
    return changed;
  }

  /**
   * Removes our handlers, and the groups, events and {@code hooks} object that held nothing else.
   *
   * @return whether anything changed
   */
  public boolean uninstall() {
    if (!(root.get("hooks") instanceof ObjectNode hooks)) {
      return false;
    }
    boolean changed = false;
    for (Iterator<Map.Entry<String, JsonNode>> events = hooks.properties().iterator(); events.hasNext(); ) {
      JsonNode groups = events.next().getValue();
      if (groups instanceof ArrayNode list && removeOurs(list)) {
        changed = true;
        if (list.isEmpty()) {
          events.remove();
        }
      }
    }
    if (changed && hooks.isEmpty()) {
      root.remove("hooks");
    }
    return changed;
  }

  /** The file's content as it would be written. */
  public String text() {
    try {
      return WRITER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the file (atomically), first copying an existing one to {@code settings.json.bak-<UTC time>}.
   *
   * @return the backup, when there was a file to back up
   */
  public Optional<Path> write(Instant now) {
    return write(file, text(), now);
  }

  /** Writes {@code text} to {@code file} atomically, first copying an existing file to {@code NAME.bak-<UTC time>}. */
  static Optional<Path> write(Path file, String text, Instant now) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Optional<Path> backup = Optional.empty();
      if (Files.exists(file)) {
        Path target = file.resolveSibling(file.getFileName() + ".bak-" + BACKUP_STAMP.format(now));
        for (int n = 2; Files.exists(target); n++) {
          target = file.resolveSibling(file.getFileName() + ".bak-" + BACKUP_STAMP.format(now) + "-" + n);
        }
        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        backup = Optional.of(target);
      }
      Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return backup;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode group(String event, ObjectNode handler) {
    ObjectNode group = Json.MAPPER.createObjectNode();
    if (TOOL_EVENTS.contains(event)) {
      group.put("matcher", "*");
    }
    group.putArray("hooks").add(handler.deepCopy());
    return group;
  }

  /** The groups of {@code groups} that hold one of our handlers. */
  private static List<JsonNode> onlyOurs(JsonNode groups) {
    List<JsonNode> ours = new ArrayList<>();
    for (JsonNode group : groups) {
      boolean has = false;
      for (JsonNode handler : group.path("hooks")) {
        has |= HookForm.ofOurs(handler).isPresent();
      }
      if (has) {
        ours.add(group);
      }
    }
    return ours;
  }

  /** Removes our handlers from every group, and groups left empty by that; returns whether it removed any. */
  private static boolean removeOurs(ArrayNode groups) {
    boolean removed = false;
    for (Iterator<JsonNode> g = groups.iterator(); g.hasNext(); ) {
      JsonNode group = g.next();
      if (!(group.get("hooks") instanceof ArrayNode handlers)) {
        continue;
      }
      boolean here = false;
      for (Iterator<JsonNode> h = handlers.iterator(); h.hasNext(); ) {
        if (HookForm.ofOurs(h.next()).isPresent()) {
          h.remove();
          here = true;
        }
      }
      if (here && handlers.isEmpty()) {
        g.remove();
      }
      removed |= here;
    }
    return removed;
  }

  private static void eachHandler(JsonNode groups, java.util.function.Consumer<JsonNode> action) {
    for (JsonNode group : groups) {
      for (JsonNode handler : group.path("hooks")) {
        action.accept(handler);
      }
    }
  }
}
