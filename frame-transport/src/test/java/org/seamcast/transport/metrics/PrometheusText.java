package org.seamcast.transport.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a reader of Prometheus's text exposition format (0.0.4) for tests: the metric families with their
 * TYPE and HELP, and every sample's name, labels and value.
 */
public final class PrometheusText
{
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> helps = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText()
    {
    }

    /**
     * One sample line.
     *
     * @param name   the sample's name (a family name, or it plus {@code _bucket}, {@code _count}, ...).
     * @param labels its labels in order.
     * @param value  its value.
     */
    public record Sample(String name, Map<String, String> labels, double value)
    {
    }

    public static PrometheusText parse(final String text)
    {
        final PrometheusText parsed = new PrometheusText();
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.substring(7).split(" ", 2);
                parsed.types.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
            }
            else if (line.startsWith("# HELP "))
            {
                final String[] parts = line.substring(7).split(" ", 2);
                parsed.helps.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
            }
            else if (!line.isBlank() && !line.startsWith("#"))
            {
                final Matcher sample = SAMPLE.matcher(line);
                if (!sample.find())
                {
                    throw new IllegalArgumentException("not a sample line: " + line);
                }
                final Map<String, String> labels = new LinkedHashMap<>();
                if (sample.group(3) != null)
                {
                    final Matcher label = LABEL.matcher(sample.group(3));
                    while (label.find())
                    {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                parsed.samples.add(new Sample(sample.group(1), labels, parseValue(sample.group(4))));
            }
        }
        return parsed;
    }

    private static double parseValue(final String value)
    {
        return switch (value)
        {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    /**
     * @return family name to TYPE (counter, gauge, histogram, summary, untyped).
     */
    public Map<String, String> types()
    {
        return types;
    }

    /**
     * @return family name to HELP text (empty when the family has none).
     */
    public Map<String, String> helps()
    {
        return helps;
    }

    public List<Sample> samples()
    {
        return samples;
    }

    /**
     * @return the samples named {@code name}.
     */
    public List<Sample> samples(final String name)
    {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /**
     * @return every name a PromQL query could select: the sample names.
     */
    public java.util.Set<String> sampleNames()
    {
        final java.util.Set<String> names = new java.util.TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }
}
