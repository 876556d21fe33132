package dev.tmuxorc.daemon;

import dev.tmuxorc.config.BaseDir;
import java.util.Optional;

/** Whether a monitor runs for a base directory, judged from its record and the process it names. */
public sealed interface DaemonState {

  /** The record names a live tmux-orc process. */
  record Running(DaemonRecord record) implements DaemonState { }

  /** The record names a process that is gone, or a PID now used by another program. */
  record Stale(DaemonRecord record, ProcessCheck.Verdict verdict) implements DaemonState {

    /** Why the record is stale, for messages. */
    public String reason() {
      return verdict == ProcessCheck.Verdict.GONE ? "process " + record.pid() + " is gone"
          : "pid " + record.pid() + " now belongs to another program";
    }
  }

  /** No record. */
  record Absent() implements DaemonState { }

  static DaemonState of(BaseDir base) {
    Optional<DaemonRecord> record = DaemonRecord.read(base);
    if (record.isEmpty()) {
      return new Absent();
    }
    ProcessCheck.Verdict verdict = ProcessCheck.check(record.get().pid(), record.get().recordedAt());
    return verdict == ProcessCheck.Verdict.TMUX_ORC ? new Running(record.get()) : new Stale(record.get(), verdict);
  }
}
