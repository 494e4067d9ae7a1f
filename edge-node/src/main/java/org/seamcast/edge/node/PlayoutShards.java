package org.seamcast.edge.node;

import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.seamcast.edge.listener.IcecastPush;
import org.seamcast.edge.listener.ListenerServer;
import org.seamcast.transport.AgentWakeup;
import org.seamcast.transport.metrics.HistogramFamily;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The edge's playout agents and what they share. Each agent owns the mounts whose name hashes to it, so an edge's
 * mounts spread over as many threads as {@link EdgeContext#playoutThreads()} gives it and no mount's state is touched
 * by two threads. The relay links hand each message to its mount's agent ({@link PathInbox}); a stream heartbeat,
 * which lists many mounts, and a relay connection's establishment go to every agent.
 *
 * <p>What the agents share is thread-safe or has one writer: when each path was last heard (any agent and the link
 * threads, ordered stores), the paths' delays and their timeline of downs and ups (agent 0 only: every agent hears
 * every stream heartbeat), the mount count against {@link EdgeContext#maxMounts()}, the meters and the one thread that
 * registers them, the headroom histogram (a child per agent, exported as one series). The status is rendered by every
 * agent for its own mounts ({@link ShardStatus}) and put together on the reader's thread.
 */
final class PlayoutShards
{
    /**
     * What one agent rendered for the status: its mounts (sorted by name, each with its JSON object), its paths'
     * headroom seconds and, from agent 0, the paths' timeline.
     *
     * @param nowNs          the agent's duty-cycle time when it rendered.
     * @param tick           its running history second.
     * @param mounts         its mounts' status, sorted by mount name.
     * @param mountsJson     each of those mounts as a JSON object, same order.
     * @param headroom       its headroom seconds up to {@code tick - 1}.
     * @param pathEventsJson the paths' timeline as a JSON array (agent 0), else null.
     */
    record ShardStatus(
        long nowNs, long tick, List<MountStatus> mounts, List<String> mountsJson, PathHeadroom.Window headroom,
        String pathEventsJson)
    {
        static final ShardStatus NONE = new ShardStatus(0, 0, List.of(), List.of(), null, "[]");
    }

    /**
     * The mounts' status put together from the agents' parts, kept while every part is the same object; the JSON is
     * put together only when someone reads it (a metrics scrape reads only the mounts, thousands of times).
     */
    private static final class Composed
    {
        private final ShardStatus[] parts;
        private final List<MountStatus> mounts;
        private final List<String> mountsJson;
        private volatile String json;

        Composed(final ShardStatus[] parts, final List<MountStatus> mounts, final List<String> mountsJson)
        {
            this.parts = parts;
            this.mounts = mounts;
            this.mountsJson = mountsJson;
        }
    }

    private final EdgeContext ctx;
    private final List<EdgePath> paths;
    private final ListenerServer listeners;
    private final PlayoutAgent[] agents;
    private final ManyToOneRingBuffer[] inboxes;
    private final AgentWakeup[] wakeups;
    private final AtomicLongArray pathLastHeardNs;
    private final PathDelays pathDelays;
    private final AtomicInteger mountCount = new AtomicInteger();
    private final HistogramFamily headroomFamily;
    /** Registers the meters of mounts and encoders as they appear, off the playout threads (see {@link EdgeMetrics}). */
    private final ExecutorService metricsRegistrar;
    private final EdgeMetrics metrics;
    private volatile Composed composed;

    /**
     * Makes {@link EdgeContext#playoutThreads()} agents, each with an inbox of {@link EdgeContext#inboxBytes()}; none
     * runs until the caller starts it on a thread ({@link #agent}, {@link #wakeup}).
     *
     * @param paths the edge's paths, filled in by the caller before any agent runs.
     */
    PlayoutShards(
        final EdgeContext ctx,
        final List<EdgePath> paths,
        final ListenerServer listeners,
        final MeterRegistry registry,
        final EpochNanoClock clock)
    {
        this.ctx = ctx;
        this.paths = paths;
        this.listeners = listeners;
        final int relays = ctx.relays().size();
        this.pathLastHeardNs = new AtomicLongArray(relays);
        this.pathDelays = new PathDelays(relays);
        this.headroomFamily = PathHeadroom.family(registry);
        this.metricsRegistrar = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "edge-metrics-registrar");
            thread.setDaemon(true);
            return thread;
        });
        this.metrics = new EdgeMetrics(registry, this::mountStatus, metricsRegistrar);
        final int count = ctx.playoutThreads();
        agents = new PlayoutAgent[count];
        inboxes = new ManyToOneRingBuffer[count];
        wakeups = new AgentWakeup[count];
        for (int shard = 0; shard < count; shard++)
        {
            inboxes[shard] = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(ctx.inboxBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
            wakeups[shard] = new AgentWakeup();
            agents[shard] = new PlayoutAgent(ctx, shard, this, inboxes[shard], paths, listeners, clock,
                wakeups[shard]);
        }
    }

    /**
     * @return the agent that owns the mount with this hash ({@link #shardOf}).
     */
    PlayoutAgent ownerOf(final long mountHash)
    {
        return agents[shardOf(mountHash, agents.length)];
    }

    /**
     * @return which of {@code count} agents owns the mount with this hash: its high 32 bits scaled to the count.
     */
    static int shardOf(final long mountHash, final int count)
    {
        return (int)(((mountHash >>> 32) * count) >>> 32);
    }

    int count()
    {
        return agents.length;
    }

    PlayoutAgent agent(final int shard)
    {
        return agents[shard];
    }

    ManyToOneRingBuffer inbox(final int shard)
    {
        return inboxes[shard];
    }

    AgentWakeup wakeup(final int shard)
    {
        return wakeups[shard];
    }

    /**
     * A relay connection on {@code pathId} was established: every agent subscribes its mounts with their resume
     * points. Any thread.
     */
    void established(final int pathId)
    {
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        for (int shard = 0; shard < agents.length; shard++)
        {
            if (inboxes[shard].write(PlayoutAgent.ESTABLISHED + pathId, empty, 0, 0))
            {
                wakeups[shard].wake();
            }
        }
    }

    /**
     * @return whether another mount may open (and counts it), false once {@link EdgeContext#maxMounts()} are open.
     */
    boolean claimMount()
    {
        while (true)
        {
            final int open = mountCount.get();
            if (open >= ctx.maxMounts())
            {
                return false;
            }
            if (mountCount.compareAndSet(open, open + 1))
            {
                return true;
            }
        }
    }

    AtomicLongArray pathLastHeardNs()
    {
        return pathLastHeardNs;
    }

    /**
     * @return when path {@code pathId} last delivered a valid message (engine clock, ns), 0 for never. Any thread.
     */
    long lastHeardNs(final int pathId)
    {
        return pathLastHeardNs.get(pathId);
    }

    /**
     * A path showed it is alive without a message for a playout thread (a link heartbeat). Any thread.
     */
    void heard(final int pathId, final long nowNs)
    {
        pathLastHeardNs.lazySet(pathId, nowNs);
    }

    /**
     * @return each path's delay from the ingests' stream heartbeats, sampled by agent 0; read from any thread.
     */
    PathDelays pathDelays()
    {
        return pathDelays;
    }

    HistogramFamily headroomFamily()
    {
        return headroomFamily;
    }

    EdgeMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return every agent's pushes into an Icecast.
     */
    List<IcecastPush> pushes()
    {
        final List<IcecastPush> pushes = new ArrayList<>();
        for (final PlayoutAgent agent : agents)
        {
            pushes.addAll(agent.pushes());
        }
        return pushes;
    }

    /**
     * @return announces and frames of mounts refused because {@link EdgeContext#maxMounts()} were open, all agents.
     */
    long mountsRefused()
    {
        long refused = 0;
        for (final PlayoutAgent agent : agents)
        {
            refused += agent.mountsRefused();
        }
        return refused;
    }

    /**
     * The status as JSON, from every agent's part, each rendered for this read unless one younger than
     * {@link StatusRequests#FRESH_NS} exists; any thread.
     */
    String status()
    {
        final Composed composed = compose();
        String json = composed.json;
        if (json == null)
        {
            final ShardStatus first = composed.parts[0];
            final List<PathHeadroom.Window> windows = new ArrayList<>();
            for (final ShardStatus part : composed.parts)
            {
                if (part.headroom() != null)
                {
                    windows.add(part.headroom());
                }
            }
            json = EdgeStatusJson.render(ctx, composed.mountsJson, paths, pathLastHeardNs, pathDelays, first.nowNs(),
                listeners, first.tick(), windows.isEmpty() ? null : PathHeadroom.Window.merge(windows),
                first.pathEventsJson());
            composed.json = json;
        }
        return json;
    }

    /**
     * Every mount's status, sorted by name, as fresh as {@link #status()}; any thread.
     */
    List<MountStatus> mountStatus()
    {
        return compose().mounts;
    }

    private Composed compose()
    {
        final Composed last = composed;
        if (last != null && isCurrent(last))
        {
            return last;
        }
        final ShardStatus[] parts = new ShardStatus[agents.length];
        for (int shard = 0; shard < agents.length; shard++)
        {
            parts[shard] = agents[shard].shardStatus();
        }
        final List<Integer> order = new ArrayList<>();
        final List<MountStatus> mounts = new ArrayList<>();
        final List<String> mountsJson = new ArrayList<>();
        for (final ShardStatus part : parts)
        {
            mounts.addAll(part.mounts());
            mountsJson.addAll(part.mountsJson());
        }
        for (int i = 0; i < mounts.size(); i++)
        {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> mounts.get(i).mount()));
        final List<MountStatus> sortedMounts = new ArrayList<>(mounts.size());
        final List<String> sortedJson = new ArrayList<>(mounts.size());
        for (final int i : order)
        {
            sortedMounts.add(mounts.get(i));
            sortedJson.add(mountsJson.get(i));
        }
        final Composed fresh = new Composed(parts, List.copyOf(sortedMounts), sortedJson);
        composed = fresh;
        return fresh;
    }

    /**
     * @return whether every agent's part, fresh as {@link PlayoutAgent#shardStatus()} makes it, is the one
     * {@code composed} was put together from: a scrape reads the mounts thousands of times and allocates nothing.
     */
    private boolean isCurrent(final Composed composed)
    {
        for (int shard = 0; shard < agents.length; shard++)
        {
            if (agents[shard].shardStatus() != composed.parts[shard])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the meters' registrar; each agent's {@code onClose} closes its own.
     */
    void close()
    {
        metricsRegistrar.shutdown();
    }
}
