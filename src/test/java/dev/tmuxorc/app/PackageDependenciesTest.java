package dev.tmuxorc.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package layout is a tree of layers: no package depends, through any chain of imports, on itself. */
class PackageDependenciesTest {

  private static final Path SOURCES = Path.of("src", "main", "java", "dev", "tmuxorc");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.tmuxorc\\.(\\w+)\\.",
      Pattern.MULTILINE);

  static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(file.getParent()).toString();
        Set<String> uses = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            uses.add(m.group(1));
          }
        }
      }
    }
    return graph;
  }

  @Test
  void noPackageCycles() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    for (String start : graph.keySet()) {
      List<String> cycle = cycleFrom(start, start, graph, new ArrayList<>(List.of(start)), new HashSet<>());
      assertTrue(cycle.isEmpty(), "package cycle: " + String.join(" -> ", cycle));
    }
  }

  @Test
  void agentsKnowNothingOfTheMonitorAboveThem() throws IOException {
    assertEquals(Set.of(), intersect(dependencies().get("agent"), Set.of("monitor", "app", "fleet", "http", "cli")));
  }

  private static Set<String> intersect(Set<String> a, Set<String> b) {
    Set<String> both = new TreeSet<>(a);
    both.retainAll(b);
    return both;
  }

  private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> graph, List<String> path,
      Set<String> visited) {
    for (String next : graph.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (visited.add(next)) {
        path.add(next);
        List<String> found = cycleFrom(start, next, graph, path, visited);
        if (!found.isEmpty()) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return List.of();
  }
}
