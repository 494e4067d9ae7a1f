package org.seamcast.bench.proc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ListenerLoad} printed for one URL at a mark: its listeners over the time since the previous mark.
 *
 * @param minBytesPerSecond  the slowest open listener's rate.
 * @param below              open listeners below the rate that keeps up.
 * @param closed             listeners the server closed (or that failed) so far.
 * @param bad                listeners whose response was not 200.
 */
record ListenerMark(String url, long open, long ms, double minBytesPerSecond, double meanBytesPerSecond, long below,
    long closed, long bad)
{
    static List<ListenerMark> read(final Path log)
    {
        final List<ListenerMark> marks = new ArrayList<>();
        for (final String line : LogLines.complete(log))
        {
            if (line.startsWith(ListenerLoad.MARK + " "))
            {
                marks.add(parse(line));
            }
        }
        return marks;
    }

    static ListenerMark parse(final String line)
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String field : line.substring(ListenerLoad.MARK.length() + 1).split(" "))
        {
            final int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return new ListenerMark(fields.get("url"), Long.parseLong(fields.get("open")), Long.parseLong(fields.get("ms")),
            Double.parseDouble(fields.get("min_bps")), Double.parseDouble(fields.get("mean_bps")),
            Long.parseLong(fields.get("below")), Long.parseLong(fields.get("closed")),
            Long.parseLong(fields.get("bad")));
    }

    boolean keptUp(final int listeners)
    {
        return open == listeners && below == 0 && closed == 0 && bad == 0;
    }
}
