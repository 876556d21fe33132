package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tmux-orc mcp}: a Model Context Protocol server on stdin/stdout (the official Java SDK's stdio transport)
 * that a PM's agent starts from its {@code .mcp.json}, so that the PM can pull what tmux-orc knows and act through
 * it: the tools of {@link McpTools}, each a call to the running monitor's API.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = {
        "Serve tmux-orc to a PM's agent as an MCP server on stdin/stdout (JSON-RPC only there; logs go to stderr): "
            + "tools list_agents, get_agent, get_screen, explain, pending_reports, ack_report and send_message, "
            + "each answered by the running monitor (`monitor start`). Runs until stdin closes.",
        "`tmux-orc mcp install --project DIR` writes the entry that starts it into DIR/.mcp.json."},
    subcommands = McpInstallCommand.class)
final class McpCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Override
  public Integer call() throws Exception {
    // stdout is the protocol's: anything else printed by accident goes to stderr instead
    PrintStream protocol = System.out;
    System.setOut(System.err);
    Launcher.logLevel(main.global, true);
    Optional<String> token = MonitorCommand.token(Launcher.config(main.global, Map.of()));
    CountDownLatch closed = new CountDownLatch(1);
    McpSyncServer server = serve(() -> DaemonClient.find(BaseDir.current(), token), new Watched(System.in, closed),
        protocol);
    closed.await();
    server.closeGracefully();
    return 0;
  }

  /** Serves the tools on {@code in} and {@code out} until closed. */
  static McpSyncServer serve(java.util.function.Supplier<DaemonClient> daemon, InputStream in, OutputStream out) {
    McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    return McpServer.sync(new StdioServerTransportProvider(json, in, out))
        .serverInfo("tmux-orc", dev.tmuxorc.config.Version.current())
        .instructions("tmux-orc supervises the AI coding agents in this machine's tmux panes. list_agents "
            + "(needs_attention: true) shows who needs you; explain says why an agent is in its state; "
            + "send_message types into an agent's prompt (only when it is empty); pending_reports and ack_report "
            + "follow the reports tmux-orc types into your prompt.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonMapper(json)
        .tools(new McpTools(daemon).specifications())
        .build();
  }

  /** Stdin, telling when it ends (the client closed it: time to go). */
  private static final class Watched extends FilterInputStream {
    private final CountDownLatch closed;

    Watched(InputStream in, CountDownLatch closed) {
      super(in);
      this.closed = closed;
    }

    @Override
    public int read() throws IOException {
      return ended(watch(super::read));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return ended(watch(() -> super.read(b, off, len)));
    }

    private int ended(int n) {
      if (n < 0) {
        closed.countDown();
      }
      return n;
    }

    private int watch(Read read) throws IOException {
      try {
        return read.read();
      } catch (IOException e) {
        closed.countDown();
        throw e;
      }
    }

    private interface Read {
      int read() throws IOException;
    }
  }
}
