package dev.tmuxorc.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --events FILE} option of the long-running commands. */
final class EventsOption {

  @Option(names = "--events", paramLabel = "FILE", description = "Append every agent event (discovered, state "
      + "or health changed, gone) and every cycle report to FILE as one JSON object per line.")
  Path file;
}
