package org.seamcast.edge.node;

import io.micrometer.core.instrument.Counter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.codec.protocol.MessageType;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.Peer;

/**
 * The I/O-thread side of one path: every validated message goes into the playout agent's inbox, except a link's own
 * heartbeats (a HEARTBEAT without stream entries: a relay's TCP connection every half second, its datagram forward
 * links likewise), which only show that the path is alive. Those are recorded here, so link chatter never takes
 * inbox room from audio nor playout-thread time; stream heartbeats go through, since the engines use them. Each
 * message goes in dated with its arrival, and wakes the playout thread only when it could not wait for that thread's
 * own next wake-up ({@link PlayoutAgent#wakeForInput}).
 *
 * <p>Threading: {@link #onMessage} on the path's I/O thread; one instance per path.
 */
final class PathInbox implements MessageHandler
{
    private final int pathId;
    private final RingBuffer inbox;
    private final PlayoutAgent agent;
    private final EpochNanoClock clock;
    private final Counter inboxFull;

    PathInbox(
        final int pathId, final RingBuffer inbox, final PlayoutAgent agent, final EpochNanoClock clock,
        final Counter inboxFull)
    {
        this.pathId = pathId;
        this.inbox = inbox;
        this.agent = agent;
        this.clock = clock;
        this.inboxFull = inboxFull;
    }

    @Override
    public void onMessage(
        final MessageDecoder message, final DirectBuffer buffer, final int offset, final int length, final Peer from)
    {
        final long arrivalNs = clock.nanoTime();
        if (message.type() == MessageType.HEARTBEAT && message.heartbeat().streamCount() == 0)
        {
            agent.heard(pathId, arrivalNs);
            return;
        }
        if (PlayoutAgent.offer(inbox, pathId, arrivalNs, buffer, offset, length))
        {
            agent.wakeForInput(arrivalNs);
        }
        else
        {
            inboxFull.increment();
        }
    }
}
