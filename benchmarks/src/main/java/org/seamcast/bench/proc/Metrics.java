package org.seamcast.bench.proc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of a node's Prometheus {@code /metrics}: every sample line as (name, labels, value), summed by name
 * and, optionally, one label's value.
 */
final class Metrics
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final List<Line> lines;

    private Metrics(final List<Line> lines)
    {
        this.lines = lines;
    }

    record Line(String name, String labels, double value)
    {
    }

    static Metrics scrape(final int adminPort)
    {
        final String body = get(adminPort, "/metrics");
        return parse(body);
    }

    /**
     * {@code GET path} on a node's admin port, or throws naming the URL.
     */
    static String get(final int adminPort, final String path)
    {
        final URI uri = URI.create("http://" + Ports.HOST + ":" + adminPort + path);
        try
        {
            final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return response.body();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(uri + ": " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    static boolean answers(final int adminPort)
    {
        try
        {
            get(adminPort, "/metrics");
            return true;
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }

    static Metrics parse(final String text)
    {
        final List<Line> lines = new ArrayList<>();
        for (final String raw : text.split("\n"))
        {
            final String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            final String key = line.substring(0, space);
            final int brace = key.indexOf('{');
            final String name = brace < 0 ? key : key.substring(0, brace);
            final String labels = brace < 0 ? "" : key.substring(brace);
            lines.add(new Line(name, labels, parseValue(line.substring(space + 1))));
        }
        return new Metrics(lines);
    }

    private static double parseValue(final String text)
    {
        return switch (text)
        {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    double sum(final String name)
    {
        double total = 0;
        for (final Line line : lines)
        {
            if (line.name.equals(name))
            {
                total += line.value;
            }
        }
        return total;
    }

    /**
     * The sum of {@code name} over the samples whose label {@code label} is {@code value}.
     */
    double sum(final String name, final String label, final String value)
    {
        final String wanted = label + "=\"" + value + "\"";
        double total = 0;
        for (final Line line : lines)
        {
            if (line.name.equals(name) && line.labels.contains(wanted))
            {
                total += line.value;
            }
        }
        return total;
    }

    long count(final String name)
    {
        return Math.round(sum(name));
    }

    long count(final String name, final String label, final String value)
    {
        return Math.round(sum(name, label, value));
    }

    /**
     * The samples of {@code name} that moved since {@code before}, by their labels, with how much.
     */
    Map<String, Long> changedSince(final Metrics before, final String name)
    {
        final Map<String, Double> earlier = new HashMap<>();
        for (final Line line : before.lines)
        {
            if (line.name.equals(name))
            {
                earlier.put(line.labels, line.value);
            }
        }
        final Map<String, Long> changed = new TreeMap<>();
        for (final Line line : lines)
        {
            if (line.name.equals(name))
            {
                final long delta = Math.round(line.value - earlier.getOrDefault(line.labels, 0.0));
                if (delta != 0)
                {
                    changed.merge(line.labels, delta, Long::sum);
                }
            }
        }
        return changed;
    }
}
