package org.seamcast.codec.audio;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splices encoder B into encoder A's stream at frame k the way an edge does: A's frames up to k - 1, the bridge for
 * B[k] (and the rest of its chain), then B's frames verbatim. Frame k of A and of B cover the same media time.
 */
final class Mp3Splicer
{
    static final int ORIGIN_A = 1;
    static final int ORIGIN_B = 2;

    /**
     * @param frames       the spliced stream.
     * @param origins      each frame's origin.
     * @param chainLength  frames re-packed or passed through the bridge (1 for a bridge without chain).
     * @param bridgedBytes bytes of the frames the bridge wrote.
     * @param silentFrame  index of the frame replaced by {@link Mp3Bridge#writeSilence}, or -1.
     * @param refusal      why the bridge refused (a frame, or the whole splice when {@link #failed()}).
     */
    record Splice(List<byte[]> frames, List<Integer> origins, int switchFrame, int chainLength, int bridgedBytes,
        int silentFrame, Mp3BridgeRefusal refusal, String refusalDescription)
    {
        boolean failed()
        {
            return refusal != Mp3BridgeRefusal.NONE && silentFrame < 0;
        }
    }

    private final Mp3Bridge bridge;
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[Mp3Bridge.MAX_BRIDGE_FRAME_LENGTH]);

    Mp3Splicer(final Mp3Bridge bridge)
    {
        this.bridge = bridge;
    }

    Splice splice(final List<byte[]> a, final List<byte[]> b, final int k, final boolean giveNext)
    {
        final List<byte[]> frames = new ArrayList<>();
        final List<Integer> origins = new ArrayList<>();
        for (int i = 0; i < k; i++)
        {
            frames.add(a.get(i));
            origins.add(ORIGIN_A);
        }

        bridge.begin(new UnsafeBuffer(b.get(k)), 0, b.get(k).length);
        for (int s = k - 1; s >= 0 && bridge.needsEarlierFrame(); s--)
        {
            bridge.addEarlierFrame(new UnsafeBuffer(b.get(s)), 0, b.get(s).length);
        }
        int j = k;
        int silentFrame = -1;
        Mp3BridgeRefusal refusal = Mp3BridgeRefusal.NONE;
        String refusalDescription = "NONE";
        int chainLength = 0;
        int bridgedBytes = 0;
        while (true)
        {
            if (giveNext && j + 1 < b.size())
            {
                bridge.addNextFrame(new UnsafeBuffer(b.get(j + 1)), 0, b.get(j + 1).length);
            }
            Mp3BridgeStatus status = bridge.write(out, 0);
            if (status == Mp3BridgeStatus.REFUSED)
            {
                refusal = bridge.refusal();
                refusalDescription = bridge.describeRefusal();
                status = bridge.writeSilence(out, 0);
                if (status == Mp3BridgeStatus.REFUSED)
                {
                    return new Splice(frames, origins, k, chainLength, bridgedBytes, -1, refusal, refusalDescription);
                }
                silentFrame = j;
            }
            final byte[] written = new byte[bridge.frameLength()];
            out.getBytes(0, written);
            frames.add(written);
            origins.add(ORIGIN_B);
            chainLength++;
            bridgedBytes += written.length;
            if (status == Mp3BridgeStatus.COMPLETE || j + 1 >= b.size())
            {
                break;
            }
            j++;
            bridge.continueChain(new UnsafeBuffer(b.get(j)), 0, b.get(j).length);
        }
        for (int i = j + 1; i < b.size(); i++)
        {
            frames.add(b.get(i));
            origins.add(ORIGIN_B);
        }
        return new Splice(frames, origins, k, chainLength, bridgedBytes, silentFrame, refusal, refusalDescription);
    }

    /**
     * A's frames up to k - 1, then B's from k on, untouched: what an edge without bridges plays.
     */
    static Splice naive(final List<byte[]> a, final List<byte[]> b, final int k)
    {
        final List<byte[]> frames = new ArrayList<>();
        final List<Integer> origins = new ArrayList<>();
        for (int i = 0; i < b.size(); i++)
        {
            frames.add(i < k ? a.get(i) : b.get(i));
            origins.add(i < k ? ORIGIN_A : ORIGIN_B);
        }
        return new Splice(frames, origins, k, 0, 0, -1, Mp3BridgeRefusal.NONE, "NONE");
    }
}
