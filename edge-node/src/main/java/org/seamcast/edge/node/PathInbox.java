package org.seamcast.edge.node;

import io.micrometer.core.instrument.Counter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.seamcast.codec.protocol.MessageDecoder;
import org.seamcast.transport.MessageHandler;
import org.seamcast.transport.Peer;

/**
 * The I/O-thread side of one path: every validated message goes into the inbox of the playout agent that owns its
 * mount ({@link PlayoutShards#ownerOf}), a stream heartbeat (which lists many mounts) into every agent's, except a
 * link's own heartbeats (a HEARTBEAT without stream entries: a relay's TCP connection every half second, its datagram
 * forward links likewise), which only show that the path is alive. Those are recorded here, so link chatter never
 * takes inbox room from audio nor playout-thread time; stream heartbeats go through, since the engines use them. Each
 * message goes in dated with its arrival, and wakes the playout thread only when it could not wait for that thread's
 * own next wake-up ({@link PlayoutAgent#wakeForInput}).
 *
 * <p>Threading: {@link #onMessage} on the path's I/O thread; one instance per path.
 */
final class PathInbox implements MessageHandler
{
    private final int pathId;
    private final PlayoutShards shards;
    private final EpochNanoClock clock;
    private final Counter inboxFull;

    PathInbox(final int pathId, final PlayoutShards shards, final EpochNanoClock clock, final Counter inboxFull)
    {
        this.pathId = pathId;
        this.shards = shards;
        this.clock = clock;
        this.inboxFull = inboxFull;
    }

    @Override
    public void onMessage(
        final MessageDecoder message, final DirectBuffer buffer, final int offset, final int length, final Peer from)
    {
        final long arrivalNs = clock.nanoTime();
        switch (message.type())
        {
            case FRAME -> offer(shards.ownerOf(message.frame().mountHash()), arrivalNs, buffer, offset, length);
            case ANNOUNCE -> offer(shards.ownerOf(message.announce().mountHash()), arrivalNs, buffer, offset, length);
            case METADATA -> offer(shards.ownerOf(message.metadata().mountHash()), arrivalNs, buffer, offset, length);
            case HEARTBEAT ->
            {
                if (message.heartbeat().streamCount() == 0)
                {
                    shards.heard(pathId, arrivalNs);
                    return;
                }
                for (int shard = 0; shard < shards.count(); shard++)
                {
                    offer(shards.agent(shard), arrivalNs, buffer, offset, length);
                }
            }
            default -> shards.heard(pathId, arrivalNs); // no other message is for the playout: it shows the path up
        }
    }

    private void offer(
        final PlayoutAgent agent, final long arrivalNs, final DirectBuffer buffer, final int offset, final int length)
    {
        if (agent.offer(pathId, arrivalNs, buffer, offset, length))
        {
            agent.wakeForInput(arrivalNs);
        }
        else
        {
            inboxFull.increment();
        }
    }
}
