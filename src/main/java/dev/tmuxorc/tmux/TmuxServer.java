package dev.tmuxorc.tmux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which tmux server to talk to: the default one, a named socket ({@code -L}) or a socket path ({@code -S}). */
public record TmuxServer(String binary, Optional<String> socketName, Optional<String> socketPath) {

  public TmuxServer {
    socketName = socketName.filter(s -> !s.isBlank());
    socketPath = socketPath.filter(s -> !s.isBlank());
    if (socketName.isPresent() && socketPath.isPresent()) {
      throw new IllegalArgumentException("give either a socket name (-L) or a socket path (-S), not both");
    }
  }

  public static TmuxServer defaultServer() {
    return new TmuxServer("tmux", Optional.empty(), Optional.empty());
  }

  public static TmuxServer named(String socketName) {
    return new TmuxServer("tmux", Optional.of(socketName), Optional.empty());
  }

  /** The command line prefix that selects this server; {@code -N} so that tmux-orc never starts a server itself. */
  public List<String> commandPrefix() {
    List<String> prefix = new ArrayList<>(4);
    prefix.add(binary);
    prefix.addAll(selectArgs());
    prefix.add("-N");
    return prefix;
  }

  /** The flags that name this server to tmux: {@code -L NAME}, {@code -S PATH}, or none for the default socket. */
  public List<String> selectArgs() {
    if (socketName.isPresent()) {
      return List.of("-L", socketName.get());
    }
    return socketPath.map(path -> List.of("-S", path)).orElse(List.of());
  }

  /**
   * The socket file of this server: the given path, or {@code $TMUX_TMPDIR/tmux-UID/NAME} (default /tmp) as
   * tmux computes it. tmux leaves this file behind after {@code kill-server}; whoever started a server removes it.
   */
  public Optional<Path> socketFile() {
    if (socketPath.isPresent()) {
      return socketPath.map(Path::of);
    }
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      String dir = System.getenv().getOrDefault("TMUX_TMPDIR", "/tmp");
      return Optional.of(Path.of(dir, "tmux-" + uid, socketName.orElse("default")));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** For messages: "socket 'work'", "socket path /tmp/x" or "the default socket". */
  public String describe() {
    if (socketName.isPresent()) {
      return "socket '" + socketName.get() + "'";
    }
    return socketPath.map(p -> "socket path " + p).orElse("the default socket");
  }
}
