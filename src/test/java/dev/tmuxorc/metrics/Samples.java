package dev.tmuxorc.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads values out of a {@link Metrics} snapshot by their exposed names ({@code ..._total} for counters). */
final class Samples {

  private Samples() { }

  /** A counter's or gauge's value for these label pairs ("state", "idle", ...); 0 when it has no such series. */
  static double value(Metrics metrics, String name, String... labels) {
    return point(metrics, name, labels).map(point -> {
      if (point instanceof CounterSnapshot.CounterDataPointSnapshot counter) {
        return counter.getValue();
      }
      return ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
    }).orElse(0.0);
  }

  /** A histogram's observation count for these label pairs; 0 when it has no such series. */
  static long count(Metrics metrics, String name, String... labels) {
    return point(metrics, name, labels).map(p -> ((HistogramSnapshot.HistogramDataPointSnapshot) p).getCount())
        .orElse(0L);
  }

  /** A histogram's sum for these label pairs. */
  static double sum(Metrics metrics, String name, String... labels) {
    return point(metrics, name, labels).map(p -> ((HistogramSnapshot.HistogramDataPointSnapshot) p).getSum())
        .orElse(0.0);
  }

  /** The label sets of every series of a metric. */
  static List<Labels> series(Metrics metrics, String name) {
    List<Labels> all = new ArrayList<>();
    for (MetricSnapshot snapshot : metrics.snapshot()) {
      if (exposedName(snapshot).equals(name)) {
        snapshot.getDataPoints().forEach(point -> all.add(point.getLabels()));
      }
    }
    return all;
  }

  /** The sum of every series of a counter or gauge. */
  static double total(Metrics metrics, String name) {
    double total = 0;
    for (MetricSnapshot snapshot : metrics.snapshot()) {
      if (exposedName(snapshot).equals(name)) {
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
          total += point instanceof CounterSnapshot.CounterDataPointSnapshot counter ? counter.getValue()
              : ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
        }
      }
    }
    return total;
  }

  private static Optional<DataPointSnapshot> point(Metrics metrics, String name, String... labels) {
    Labels wanted = Labels.of(labels);
    for (MetricSnapshot snapshot : metrics.snapshot()) {
      if (exposedName(snapshot).equals(name)) {
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
          if (point.getLabels().equals(wanted)) {
            return Optional.of(point);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String exposedName(MetricSnapshot snapshot) {
    String name = snapshot.getMetadata().getPrometheusName();
    return snapshot instanceof CounterSnapshot ? name + "_total" : name;
  }
}
