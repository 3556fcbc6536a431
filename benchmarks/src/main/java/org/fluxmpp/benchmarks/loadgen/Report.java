package org.fluxmpp.benchmarks.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code fluxmpp-loadgen report}: reads the JSON files of a comparison (one per run, tagged {@code server=...} and
 * {@code case=logins|chat-closed|chat-open|idle} by {@code compare.sh}), and writes the table (median and range of
 * the runs, per server) as a Markdown fragment, PNG charts drawn with XChart (latency percentiles per server at the
 * open-loop rate; closed-loop messages/s and logins/s per server), and all runs merged into one JSON file.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Charts (PNG) and a Markdown table from a comparison's JSON results.")
public final class Report implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] PERCENTILES = {"p50_us", "p90_us", "p99_us", "p999_us", "max_us"};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "max"};

    @Parameters(paramLabel = "DIR", description = "Directory of the runs' JSON files.")
    Path dir;

    @Option(names = "--charts", defaultValue = "docs/bench",
            description = "Where the PNGs go (default: ${DEFAULT-VALUE}).")
    Path charts;

    @Option(names = "--markdown", description = "The Markdown fragment to write (default: CHARTS/comparison.md).")
    @Nullable Path markdown;

    @Option(names = "--merged", description = "All runs in one JSON file (default: DIR/results.json).")
    @Nullable Path merged;

    @Option(names = "--header", description = "A Markdown paragraph to put above the table (machine, JVM settings).")
    @Nullable Path header;

    /** One table line: how to find the figure of a run, and how to print it. */
    private record Metric(String label, String testCase, String[] path, String format) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("logins/s", "logins", new String[] {"logins_per_s"}, "%,.0f"),
            new Metric("msgs/s, closed loop", "chat-closed", new String[] {"delivered_per_s"}, "%,.0f"),
            new Metric("p99 latency at the open-loop rate (ms)", "chat-open", new String[] {"latency", "p99_us"},
                    "%,.2f"),
            new Metric("msgs/s delivered at the open-loop rate", "chat-open", new String[] {"delivered_per_s"},
                    "%,.0f"),
            new Metric("memory per idle session (bytes, VmRSS)", "idle", new String[] {"bytes_per_connection"},
                    "%,.0f"));

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<JsonNode> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString()
                    .equals("results.json")).sorted().toList()) {
                runs.add(JSON.readTree(f.toFile()));
            }
        }
        ArrayNode all = JSON.createArrayNode();
        runs.forEach(all::add);
        JSON.writerWithDefaultPrettyPrinter().writeValue((merged == null ? dir.resolve("results.json") : merged)
                .toFile(), all);
        List<String> servers = new ArrayList<>();
        for (JsonNode r : runs) {
            String s = r.path("tags").path("server").asString("?");
            if (!servers.contains(s)) {
                servers.add(s);
            }
        }
        Files.createDirectories(charts);
        StringBuilder md = new StringBuilder();
        if (header != null) {
            md.append(Files.readString(header).strip()).append("\n\n");
        }
        md.append("| figure (median of the runs; range in brackets) |");
        servers.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n|---|");
        servers.forEach(s -> md.append("---:|"));
        md.append('\n');
        for (Metric m : METRICS) {
            md.append("| ").append(m.label()).append(" |");
            for (String s : servers) {
                List<Double> v = values(runs, s, m);
                double scale = m.path()[m.path().length - 1].endsWith("_us") ? 1e-3 : 1;
                md.append(' ').append(v.isEmpty() ? "–" : String.format(Locale.ROOT, m.format(), median(v) * scale)
                        + " [" + String.format(Locale.ROOT, m.format(), Collections.min(v) * scale) + " – "
                        + String.format(Locale.ROOT, m.format(), Collections.max(v) * scale) + "], n = " + v.size())
                        .append(" |");
            }
            md.append('\n');
        }
        md.append("\n![latency percentiles per server at the open-loop rate](bench/latency.png)\n");
        md.append("![closed-loop messages/s per server](bench/throughput.png)\n");
        md.append("![logins/s per server](bench/logins.png)\n");
        latencyChart(runs, servers);
        barChart(runs, servers, METRICS.get(1), "throughput.png", "messages/s");
        barChart(runs, servers, METRICS.get(0), "logins.png", "logins/s");
        Path out = markdown == null ? charts.resolve("comparison.md") : markdown;
        Files.writeString(out, md.toString());
        System.out.print(md);
        System.out.println("charts: " + charts + ", table: " + out);
        return 0;
    }

    private static List<Double> values(List<JsonNode> runs, String server, Metric m) {
        List<Double> v = new ArrayList<>();
        for (JsonNode r : runs) {
            if (server.equals(r.path("tags").path("server").asString("")) && m.testCase().equals(r.path("tags")
                    .path("case").asString(""))) {
                JsonNode n = r.path("result");
                for (String p : m.path()) {
                    n = n.path(p);
                }
                if (n.isNumber()) {
                    v.add(n.asDouble());
                }
            }
        }
        return v;
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private void latencyChart(List<JsonNode> runs, List<String> servers) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                .title("Latency at the open-loop rate (median of the runs)").xAxisTitle("percentile")
                .yAxisTitle("ms (logarithmic)").build();
        // Lines on a logarithmic axis: a saturated server's seconds and the others' milliseconds on one chart.
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setYAxisLogarithmic(true);
        for (String s : servers) {
            List<Double> y = new ArrayList<>();
            for (String p : PERCENTILES) {
                List<Double> v = values(runs, s, new Metric(p, "chat-open", new String[] {"latency", p}, ""));
                // A log axis has no zero: a missing figure is drawn at 1 µs, below every measured one.
                y.add(v.isEmpty() ? 0.001 : Math.max(0.001, median(v) / 1000));
            }
            chart.addSeries(s, List.of(PERCENTILE_NAMES), y);
        }
        BitmapEncoder.saveBitmap(chart, charts.resolve("latency.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private void barChart(List<JsonNode> runs, List<String> servers, Metric m, String file, String unit)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(700).height(450).title(m.label() + " (median)")
                .yAxisTitle(unit).build();
        Map<String, Double> medians = new TreeMap<>();
        List<Double> y = new ArrayList<>();
        for (String s : servers) {
            List<Double> v = values(runs, s, m);
            double med = v.isEmpty() ? 0 : median(v);
            medians.put(s, med);
            y.add(med);
        }
        chart.getStyler().setLegendVisible(false);
        chart.addSeries(m.label(), new ArrayList<>(servers), y);
        BitmapEncoder.saveBitmap(chart, charts.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The runs' figures as a table keyed by server, then metric label: for tests. */
    static Map<String, Map<String, Double>> medians(List<JsonNode> runs, List<String> servers) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (String s : servers) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (Metric m : METRICS) {
                List<Double> v = values(runs, s, m);
                if (!v.isEmpty()) {
                    row.put(m.label(), median(v));
                }
            }
            out.put(s, row);
        }
        return out;
    }
}
