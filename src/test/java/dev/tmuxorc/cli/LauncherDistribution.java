package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real launcher script (src/main/dist/bin/tmux-orc) copied into a distribution of its own under {@code dir}
 * ({@code tmux-orc/bin}, {@code tmux-orc/lib/tmux-orc.jar}: a file that is no jar), run with a stand-in JDK
 * ({@code dir/jdk}) whose {@code bin/java} is the given shell script, the base directory {@code base} and
 * {@code dir/tmp} as TMPDIR, and none of the user's JVM flags.
 */
final class LauncherDistribution {

  /** What the launcher printed and its exit status. */
  record Run(int status, String out, String err) { }

  final Path launcher;
  final Path jar;
  final Path jdk;
  final Path tmp;
  private final Path dir;
  private final Path base;

  LauncherDistribution(Path dir, Path base, String javaScript) throws IOException {
    this.dir = dir;
    this.base = base;
    Path home = dir.resolve("tmux-orc");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    launcher = home.resolve("bin/tmux-orc");
    Files.copy(Path.of("src/main/dist/bin/tmux-orc"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    jar = Files.writeString(home.resolve("lib/tmux-orc.jar"), "not really a jar");
    jdk = dir.resolve("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path java = Files.writeString(jdk.resolve("bin/java"), javaScript);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    tmp = Files.createDirectories(dir.resolve("tmp"));
  }

  /** The launcher with {@code args}, its environment as described above plus {@code env}; not started. */
  ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("JAVA_HOME", jdk.toString());
    builder.environment().put("TMPDIR", tmp.toString());
    builder.environment().put("TMUX_ORCHESTRATOR_BASE_DIR", base.toString());
    for (String variable : List.of("TMUX", "JAVA_OPTS", "TMUX_ORC_JVM_OPTS", "TMUX_ORC_HEAP_OPTS",
        "TMUX_ORC_START_IN_PLACE", "TMUX_ORC_CONFIG")) {
      builder.environment().remove(variable);
    }
    builder.environment().putAll(env);
    return builder;
  }

  /** Runs the launcher with {@code args} until it exits (within {@code timeout} seconds). */
  Run run(Map<String, String> env, long timeout, String... args) throws Exception {
    ProcessBuilder builder = builder(env, args);
    Path out = Files.createTempFile(dir, "launcher", ".out");
    Path err = Files.createTempFile(dir, "launcher", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(timeout, TimeUnit.SECONDS), "the launcher ended within " + timeout + " s");
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }
}
