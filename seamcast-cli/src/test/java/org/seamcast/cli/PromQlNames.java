package org.seamcast.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names, and the labels matched on each, that a PromQL expression (or a Grafana {@code label_values}
 * query) selects: enough of PromQL to check alert rules and dashboards against what nodes export, not a parser.
 */
final class PromQlNames
{
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern GROUPING = Pattern.compile(
        "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
        "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private PromQlNames()
    {
    }

    /**
     * @return every metric name the expression selects, in order of appearance.
     */
    static Set<String> metricNames(final String expression)
    {
        final String withoutStrings = STRING.matcher(expression).replaceAll("\"\"");
        String bare = BRACES.matcher(withoutStrings).replaceAll(" ");
        bare = RANGE.matcher(bare).replaceAll(" ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        final Set<String> names = new LinkedHashSet<>();
        final Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find())
        {
            final String name = identifier.group(1);
            final String rest = bare.substring(identifier.end()).stripLeading();
            if (!KEYWORDS.contains(name) && !rest.startsWith("("))
            {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * @return for each selector with label matchers, the metric name and the labels it matches on.
     */
    static Map<String, Set<String>> matchedLabels(final String expression)
    {
        final String unquoted = STRING.matcher(expression).replaceAll("\"\"");
        final Map<String, Set<String>> labels = new LinkedHashMap<>();
        final Matcher selector = SELECTOR.matcher(unquoted);
        while (selector.find())
        {
            final Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find())
            {
                labels.computeIfAbsent(selector.group(1), name -> new LinkedHashSet<>()).add(matcher.group(1));
            }
        }
        return labels;
    }
}
