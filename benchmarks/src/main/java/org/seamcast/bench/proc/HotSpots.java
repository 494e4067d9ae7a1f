package org.seamcast.bench.proc;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a profiled node spent its CPU and what it allocated, read from an async-profiler collapsed-stack file or a
 * JFR recording: shares by thread, by the frame on top of the stack (a kernel frame is named by the Java or native
 * frame that entered the kernel), by Seamcast frame anywhere on the stack (inclusive), and allocation by site.
 */
final class HotSpots
{
    static final int TOP = 12;
    private static final String SEAMCAST_FRAME = "org.seamcast.";
    private static final String[] LIBRARY_FRAMES = {SEAMCAST_FRAME, "io.netty.", "org.agrona."};

    private HotSpots()
    {
    }

    /**
     * One line of a ranking: what, how many samples (or bytes), and its share of the total in percent.
     */
    record Share(String what, long count, double percent)
    {
    }

    /**
     * CPU rankings of one node.
     */
    record Cpu(String node, String source, long samples, List<Share> threads, List<Share> self, List<Share> inclusive)
    {
    }

    /**
     * Allocation ranking of one node.
     */
    record Allocation(String node, long bytes, double bytesPerSecond, List<Share> sites)
    {
    }

    static Cpu cpuFromCollapsed(final String node, final Path file)
    {
        final Counter threads = new Counter();
        final Counter self = new Counter();
        final Counter inclusive = new Counter();
        long total = 0;
        try
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                final int space = line.lastIndexOf(' ');
                if (space < 0)
                {
                    continue;
                }
                final long count = Long.parseLong(line.substring(space + 1));
                final List<String> frames = new ArrayList<>(List.of(line.substring(0, space).split(";")));
                String thread = "?";
                if (!frames.isEmpty() && frames.get(0).startsWith("["))
                {
                    thread = threadGroup(frames.remove(0));
                }
                for (int i = 0; i < frames.size(); i++)
                {
                    frames.set(i, frames.get(i).replace('/', '.'));
                }
                total += count;
                threads.add(thread, count);
                self.add(selfFrame(frames), count);
                for (final String frame : new HashSet<>(frames))
                {
                    if (frame.startsWith(SEAMCAST_FRAME))
                    {
                        inclusive.add(frame, count);
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot read the profile " + file + ": " + ex.getMessage(), ex);
        }
        return new Cpu(node, "async-profiler cpu", total, threads.top(total), self.top(total), inclusive.top(total));
    }

    static Cpu cpuFromJfr(final String node, final Path jfr)
    {
        final Counter threads = new Counter();
        final Counter self = new Counter();
        final Counter inclusive = new Counter();
        long total = 0;
        for (final RecordedEvent event : events(jfr, "jdk.ExecutionSample"))
        {
            final RecordedStackTrace stack = event.getStackTrace();
            if (stack == null)
            {
                continue;
            }
            final List<String> frames = new ArrayList<>();
            for (final RecordedFrame frame : stack.getFrames())
            {
                frames.add(0, name(frame));
            }
            final RecordedThread thread = event.getThread("sampledThread");
            total++;
            threads.add(thread == null ? "?" : threadGroup(thread.getJavaName()), 1);
            self.add(selfFrame(frames), 1);
            for (final String frame : new HashSet<>(frames))
            {
                if (frame.startsWith(SEAMCAST_FRAME))
                {
                    inclusive.add(frame, 1);
                }
            }
        }
        return new Cpu(node, "JFR execution samples (Java code only)", total, threads.top(total), self.top(total),
            inclusive.top(total));
    }

    static Allocation allocationFromJfr(final String node, final Path jfr, final double seconds)
    {
        final Counter sites = new Counter();
        long total = 0;
        for (final RecordedEvent event : events(jfr, "jdk.ObjectAllocationSample"))
        {
            final long weight = event.getLong("weight");
            final String type = event.getClass("objectClass").getName();
            String site = "?";
            final RecordedStackTrace stack = event.getStackTrace();
            if (stack != null)
            {
                for (final RecordedFrame frame : stack.getFrames())
                {
                    final String name = name(frame);
                    if (site.equals("?"))
                    {
                        site = name;
                    }
                    if (isLibrary(name))
                    {
                        site = name;
                        break;
                    }
                }
            }
            sites.add(type + " in " + site, weight);
            total += weight;
        }
        return new Allocation(node, total, seconds <= 0 ? Double.NaN : total / seconds, sites.top(total));
    }

    private static boolean isLibrary(final String frame)
    {
        for (final String prefix : LIBRARY_FRAMES)
        {
            if (frame.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The frame a sample is charged to: its top frame, or for a kernel frame ({@code _[k]}) "kernel, from" the
     * frame that made the system call.
     */
    static String selfFrame(final List<String> rootFirst)
    {
        if (rootFirst.isEmpty())
        {
            return "?";
        }
        final String top = rootFirst.get(rootFirst.size() - 1);
        if (!top.endsWith("_[k]"))
        {
            return top;
        }
        for (int i = rootFirst.size() - 1; i >= 0; i--)
        {
            if (!rootFirst.get(i).endsWith("_[k]"))
            {
                return "kernel, from " + rootFirst.get(i);
            }
        }
        return "kernel";
    }

    /**
     * A thread's name without its numbers ({@code [seamcast-io-edge-3-1 tid=77]} is {@code seamcast-io-edge}),
     * so the threads of one pool add up.
     */
    static String threadGroup(final String thread)
    {
        String name = thread;
        if (name.startsWith("["))
        {
            name = name.substring(1, name.length() - 1);
        }
        final int tid = name.indexOf(" tid=");
        if (tid >= 0)
        {
            name = name.substring(0, tid);
        }
        name = name.replaceAll("(-\\d+)+$", "").replaceAll("#?\\d+$", "");
        return name.isEmpty() ? thread : name;
    }

    private static String name(final RecordedFrame frame)
    {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static List<RecordedEvent> events(final Path jfr, final String type)
    {
        final List<RecordedEvent> events = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(jfr))
        {
            while (file.hasMoreEvents())
            {
                final RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals(type))
                {
                    events.add(event);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read the recording " + jfr + ": " + ex.getMessage(), ex);
        }
        return events;
    }

    static String markdown(final Cpu cpu)
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "**%s, CPU** (%s, %d samples)%n%n", cpu.node(), cpu.source(),
            cpu.samples()));
        text.append("| by thread | share | top of stack (self) | share | Seamcast frame on the stack (inclusive) "
            + "| share |\n|---|---|---|---|---|---|\n");
        final int rows = Math.max(Math.min(cpu.threads().size(), 6), Math.max(cpu.self().size(),
            cpu.inclusive().size()));
        for (int i = 0; i < rows; i++)
        {
            text.append("| ").append(cell(cpu.threads(), i, 6)).append(" | ").append(cell(cpu.self(), i, TOP))
                .append(" | ").append(cell(cpu.inclusive(), i, TOP)).append(" |\n");
        }
        return text.toString();
    }

    static String markdown(final Allocation allocation)
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "**%s, allocation** (JFR allocation samples, %.1f MB/s estimated)%n%n"
            + "| object allocated in | share |%n|---|---|%n", allocation.node(), allocation.bytesPerSecond() / 1e6));
        for (final Share share : allocation.sites())
        {
            text.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", share.what(), share.percent()));
        }
        return text.toString();
    }

    private static String cell(final List<Share> shares, final int i, final int limit)
    {
        if (i >= shares.size() || i >= limit)
        {
            return " | ";
        }
        final Share share = shares.get(i);
        return String.format(Locale.ROOT, "`%s` | %.1f %%", share.what(), share.percent());
    }

    /**
     * Counts by key, ranked.
     */
    private static final class Counter
    {
        private final Map<String, Long> counts = new HashMap<>();

        void add(final String key, final long count)
        {
            counts.merge(key, count, Long::sum);
        }

        List<Share> top(final long total)
        {
            final List<Share> shares = new ArrayList<>();
            counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOP)
                .forEach(e -> shares.add(new Share(e.getKey(), e.getValue(),
                    total == 0 ? 0 : 100.0 * e.getValue() / total)));
            return shares;
        }
    }
}
