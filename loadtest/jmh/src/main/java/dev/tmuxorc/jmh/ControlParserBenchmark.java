package dev.tmuxorc.jmh;

import dev.tmuxorc.tmux.ControlParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Control-mode output of one sweep: 100 capture replies of 40 screen lines each, with notifications between. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ControlParserBenchmark {

  private byte[] output;

  @Setup
  public void setUp() {
    List<String> sweep = new ArrayList<>();
    for (int reply = 0; reply < 100; reply++) {
      sweep.add("%begin 1700000000 " + reply + " 1");
      for (int line = 0; line < 40; line++) {
        sweep.add("│ ⏺ Update(src/module_" + line + ".ts) ⎿ Updated with 4 additions and 1 removal          │");
      }
      sweep.add("%end 1700000000 " + reply + " 1");
      if (reply % 10 == 0) {
        sweep.add("%subscription-changed tmux-orc-panes $0 - - - : %1=1700000000.10.5.2.0;");
      }
    }
    output = (String.join("\n", sweep) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One whole sweep's output, fed as the reader reads it (64 KB chunks), parsed into reply blocks
   * (score = sweeps/s; ×100 for replies/s).
   */
  @Benchmark
  public void parseSweepOf100Replies(Blackhole hole) {
    ControlParser parser = new ControlParser();
    for (int from = 0; from < output.length; from += 65536) {
      parser.feed(output, from, Math.min(65536, output.length - from), hole::consume);
    }
  }
}
