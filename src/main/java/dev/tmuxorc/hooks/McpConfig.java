package dev.tmuxorc.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project's {@code .mcp.json} as {@code tmux-orc mcp install} edits it: the {@code tmux-orc} entry of
 * {@code mcpServers} set to this installation's stdio server, every other server and key kept as it was.
 */
public final class McpConfig {

  /** The name of our entry under {@code mcpServers}. */
  public static final String SERVER = "tmux-orc";

  private final Path file;
  private final ObjectNode root;

  private McpConfig(Path file, ObjectNode root) {
    this.file = file;
    this.root = root;
  }

  /** A project's MCP configuration file, as Claude Code reads it. */
  public static Path projectFile(Path projectDir) {
    return projectDir.resolve(".mcp.json");
  }

  /**
   * Reads {@code file}; an absent or empty one is an empty object.
   *
   * @throws SettingsException when it is not a JSON object, or its {@code mcpServers} is not one
   */
  public static McpConfig read(Path file) {
    try {
      if (!Files.exists(file) || Files.readString(file, StandardCharsets.UTF_8).isBlank()) {
        return new McpConfig(file, Json.MAPPER.createObjectNode());
      }
      JsonNode parsed = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (!(parsed instanceof ObjectNode object)) {
        throw new SettingsException(file + " is not a JSON object: left as it is");
      }
      if (object.has("mcpServers") && !object.get("mcpServers").isObject()) {
        throw new SettingsException(file + ": mcpServers is not a JSON object: left as it is");
      }
      return new McpConfig(file, object);
    } catch (JsonProcessingException e) {
      throw new SettingsException(file + " is not valid JSON (" + e.getOriginalMessage() + "): left as it is", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Our entry, when there is one. */
  public Optional<JsonNode> ours() {
    return Optional.ofNullable(root.path("mcpServers").get(SERVER));
  }

  /**
   * Sets our entry to a stdio server run as {@code command} with {@code args} (and {@code env} when not empty),
   * in place when there is one (other servers keep their order); returns whether anything changed.
   */
  public boolean install(String command, List<String> args, Map<String, String> env) {
    ObjectNode entry = Json.MAPPER.createObjectNode();
    entry.put("type", "stdio");
    entry.put("command", command);
    args.forEach(entry.putArray("args")::add);
    if (!env.isEmpty()) {
      ObjectNode vars = entry.putObject("env");
      env.forEach(vars::put);
    }
    if (ours().map(entry::equals).orElse(false)) {
      return false;
    }
    ObjectNode servers = root.has("mcpServers") ? (ObjectNode) root.get("mcpServers") : root.putObject("mcpServers");
    servers.set(SERVER, entry);
    return true;
  }

  /** The file's content as it would be written. */
  public String text() {
    try {
      return ClaudeSettings.WRITER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the file (atomically), first copying an existing one to {@code .mcp.json.bak-<UTC time>}.
   *
   * @return the backup, when there was a file to back up
   */
  public Optional<Path> write(Instant now) {
    return ClaudeSettings.write(file, text(), now);
  }
}
