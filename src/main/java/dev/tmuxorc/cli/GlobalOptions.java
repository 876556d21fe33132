package dev.tmuxorc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, before or after the subcommand ({@code tmux-orc -L x scan} = {@code tmux-orc scan -L x}). */
public final class GlobalOptions {

  @Option(names = {"-L", "--socket"}, scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "Watch the tmux server on this socket name (like tmux -L).")
  String socketName;

  @Option(names = {"-S", "--socket-path"}, scope = ScopeType.INHERIT, paramLabel = "PATH",
      description = "Watch the tmux server on this socket path (like tmux -S).")
  String socketPath;

  @Option(names = {"-c", "--config"}, scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Configuration file (default: $TMUX_ORC_CONFIG, else application.conf in $TMUX_ORCHESTRATOR_BASE_DIR or ~/.tmux-orchestrator).")
  Path config;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Log more (repeat for debug output).")
  boolean[] verbose = new boolean[0];

  public Optional<Path> configFile() {
    return Optional.ofNullable(config);
  }

  /** These options as arguments again, for a process started with the same ones (paths made absolute). */
  List<String> args() {
    List<String> args = new ArrayList<>();
    if (socketName != null) {
      args.addAll(List.of("-L", socketName));
    }
    if (socketPath != null) {
      args.addAll(List.of("-S", Path.of(socketPath).toAbsolutePath().toString()));
    }
    if (config != null) {
      args.addAll(List.of("-c", config.toAbsolutePath().toString()));
    }
    for (int i = 0; i < verbose.length; i++) {
      args.add("-v");
    }
    return args;
  }
}
