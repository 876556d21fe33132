package dev.tmuxorc.jmh;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.detect.Observation;
import dev.tmuxorc.detect.PaneFacts;
import dev.tmuxorc.discovery.AgentKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Classification of real agent screens (the test fixtures), one screen per call. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClassifierBenchmark {

  @Param({"working--spinner-box-esc-to-interrupt.txt", "idle--transcript-mentions-failures.txt",
      "waiting--bash-permission.txt", "crashed--shell-prompt-after-exit.txt",
      "rate_limited--usage-limit-reset-utc.txt"})
  public String fixture;

  private Classifier classifier;
  private String screen;
  private final PaneFacts facts = PaneFacts.of(AgentKind.CLAUDE);
  private final ZonedDateTime now = ZonedDateTime.parse("2026-11-24T10:00:00Z");

  @Setup
  public void setUp() throws IOException {
    classifier = Classifier.fromConfig(ConfigFactory.load().getConfig("tmux-orc.detection"));
    // Run from the repository root; fixtures are the test resources.
    screen = Files.readString(Path.of("src", "test", "resources", "screens", fixture), StandardCharsets.UTF_8);
  }

  @Benchmark
  public Observation classify() {
    return classifier.classify(screen, facts, now);
  }

}
