package dev.tmuxorc.jmh;

import dev.tmuxorc.agent.AgentStateMachine;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Observation;
import dev.tmuxorc.tmux.TmuxCommand;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The per-agent state machine fed a working/idle rhythm of full screens, and command quoting. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StateMachineBenchmark {

  private AgentStateMachine machine;
  private String[] screens;
  private Observation[] verdicts;
  private long tick;
  private final String message = "please run the migration; then \"check\" $HOME ~/x #done {ok}\n";

  @Setup
  public void setUp() {
    machine = new AgentStateMachine(AgentStateMachine.Rules.defaults(), Instant.EPOCH);
    String body = "⏺ Update(src/forms/signup.ts) ⎿ Updated with 12 additions\n".repeat(40);
    screens = new String[] {body + "✻ Pondering… (1s)", body + "✻ Pondering… (2s)", body + "│ >  │",
        body + "│ >  │"};
    verdicts = new Observation[] {Observation.of(AgentState.WORKING), Observation.of(AgentState.WORKING),
        Observation.of(AgentState.IDLE), Observation.of(AgentState.IDLE)};
  }

  /** One observation (compare of a 40-line screen with the last one, verdict rules, health, time accounting). */
  @Benchmark
  public AgentStateMachine.Outcome observe() {
    int i = (int) (tick++ & 3);
    return machine.observe(screens[i], verdicts[i], Instant.ofEpochMilli(tick * 250));
  }

  /** Quoting one send-keys command with every escaped character class. */
  @Benchmark
  public String quoteSendKeys() {
    return TmuxCommand.sendLiteral("%3", message).toControlLine();
  }
}
