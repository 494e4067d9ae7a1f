package org.seamcast.transport;

/**
 * How a node runs its duty agents (STYLE habit 2, as Aeron's {@code ThreadingMode}); Netty event loops carry the
 * node's I/O whatever the mode.
 */
public enum ThreadingMode
{
    /** One thread per agent: an agent whose work blocks or runs long delays only itself. */
    DEDICATED,

    /** One thread for all of the node's agents, in turn: fewer threads. */
    SHARED,

    /**
     * No thread: the caller drives the agents through {@link AgentThreads#invoker()}, e.g. a test stepping a node on
     * a manual clock, or an application embedding the node in a duty cycle of its own.
     */
    INVOKER,

    /**
     * No thread of its own: the node's one agent runs on an event loop of its I/O ({@link EventLoopAgentRunner}),
     * woken by the I/O that feeds it, so a message and the work it brings share one wake-up. For an agent fed by that
     * loop and light enough to share it: the edge's playout agent and the relay core (their default); the ingest,
     * whose senders are agents of their own, refuses it.
     */
    IO_LOOP
}
